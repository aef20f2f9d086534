package tml.optimizer.lower;

import static tml.ir.loop.Exprs.*;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Op.Fusion;
import tml.ir.graph.TensorType;
import tml.ir.loop.Annotation;
import tml.ir.loop.Buffer;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr;
import tml.ir.loop.ScalarType;
import tml.ir.loop.Stmt;
import tml.ir.loop.Stmt.Block;

/**
 * Register-tiled schedules of dense (one group) and depthwise conv2d for targets with vectors of at
 * least 8 f32 lanes. The output is computed in tiles of {@code L} consecutive output columns (one
 * {@code vectorize(L)} loop of exactly L iterations, so every sum is a vector register; L = 2W, W or
 * W/2 for the target's W, the largest the row allows) times a block of output channels (dense) or
 * output rows (depthwise), each tile's sums in up to 12 vector registers. The last tile of a row and
 * the last channel or row block are moved back to end at the edge instead of running a scalar
 * remainder: they recompute a few outputs with the same values (a convolution never reads what it
 * writes). Padding is made real: the input (dense) or each input plane (depthwise) is copied into a
 * zeroed scratch buffer with the borders, so no tap needs a bound check. Each output element still
 * sums its products in the interpreter's order (input channel, then ky, then kx), from 0, bias last,
 * except in the last column of 7x7 and 9x9 pointwise rows ({@link #dotTail}: partial sums by lane).
 */
final class TiledConv {
    /** The kernel body and the scratch buffers it uses. */
    record Result(Block body, List<Buffer> scratch) {}

    /** Vector registers a tile may keep sums in (AVX2 has 16; the rest hold inputs and weights). */
    static final int DENSE_ACCUMULATORS = 12, DEPTHWISE_ACCUMULATORS = 8;

    private final Conv2d c;
    private final List<String> in;
    private final String y;
    private final int vw;
    private final long n, cin, h, w, cout, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl, pb, pr;
    private final long[] zs;
    private final boolean bias;

    private TiledConv(Conv2d c, List<String> in, String y, TensorType xt, TensorType wt, TensorType yt, long[] zs, int vw) {
        this.c = c;
        this.in = in;
        this.y = y;
        this.vw = vw;
        this.zs = zs;
        n = xt.dim(0);
        cin = xt.dim(1);
        h = xt.dim(2);
        w = xt.dim(3);
        cout = wt.dim(0);
        kh = wt.dim(2);
        kw = wt.dim(3);
        oh = yt.dim(2);
        ow = yt.dim(3);
        sh = c.stride().h();
        sw = c.stride().w();
        dh = c.dilation().h();
        dw = c.dilation().w();
        pt = c.padding().top();
        pl = c.padding().left();
        pb = c.padding().bottom();
        pr = c.padding().right();
        bias = in.size() - c.fusion().extraOperands() > 2;
    }

    /**
     * The tiled schedule of a conv2d, or null when it has none (grouped convolutions other than
     * depthwise, negative padding, rows too short for a vector of 4).
     *
     * @param zs the broadcast strides of the fused epilogue operand in the output, or null
     * @param scratchName a fresh buffer name derived from the given one
     */
    static Result of(Conv2d c, List<String> in, String y, TensorType xt, TensorType wt, TensorType yt, long[] zs, int vw,
            java.util.function.UnaryOperator<String> scratchName) {
        if (vw < 8) return null;
        TiledConv t = new TiledConv(c, in, y, xt, wt, yt, zs, vw);
        if (t.pt < 0 || t.pl < 0 || t.pb < 0 || t.pr < 0) return null;
        boolean depthwise = c.groups() == t.cin && t.cout == t.cin && c.groups() > 1;
        if (c.groups() != 1 && !depthwise) return null;
        if (!depthwise && t.pointwise()) return t.lanes(t.oh * t.ow) == 0 ? null : t.dense(scratchName);
        if (t.lanes(t.ow) == 0) return null;
        return depthwise ? t.depthwise(scratchName) : t.dense(scratchName);
    }

    private boolean padded() { return pt > 0 || pl > 0 || pb > 0 || pr > 0; }

    /** 1x1, stride 1, no padding: all pixels of a channel form one row. */
    private boolean pointwise() { return kh == 1 && kw == 1 && sh == 1 && sw == 1 && !padded(); }

    /** Lanes of a tile along a row of {@code extent} outputs: 2W, W or W/2 (at least 4), or 0. */
    private int lanes(long extent) {
        if (extent >= 2L * vw) return 2 * vw;
        if (extent >= vw) return vw;
        if (extent >= vw / 2 && vw / 2 >= 4) return vw / 2;
        return 0;
    }

    /** Registers one tile-wide vector takes. */
    private int registers(int lanes) { return Math.max(1, lanes / vw); }

    /** Output channels per dense tile: the block size with the least work per channel, waste included. */
    private long channelBlock(int lanes) { return channelBlock(lanes, 1); }

    /** Output channels per dense tile of {@code rows} output rows. */
    private long channelBlock(int lanes, int rows) { return channelBlock(cout, registers(lanes) * rows); }

    /**
     * Output channels per tile whose sums take {@code registersPerChannel} vector registers each: at
     * most {@link #DENSE_ACCUMULATORS} registers in all, the block size with the least work per
     * channel, waste (the last block moved back) included.
     */
    static long channelBlock(long cout, int registersPerChannel) {
        int most = DENSE_ACCUMULATORS / registersPerChannel;
        long best = Math.min(cout, most);
        double bestCost = Double.MAX_VALUE;
        for (long b = Math.min(cout, most); b >= Math.max(1, Math.min(cout, most) * 2 / 3); b--) {
            double cost = Math.ceilDiv(cout, b) * (b + 1.5);
            if (cost < bestCost) {
                bestCost = cost;
                best = b;
            }
        }
        return best;
    }

    /** {@code min(k * size, extent - size)}: tile k's first index, the last tile moved back to end at the edge. */
    private static Expr tileStart(String k, long size, long extent) {
        return min(mul(v(k), size), i(extent - size));
    }

    /** Zero the padded scratch {@code xp} and copy {@code planes} planes of x (from plane {@code first}) inside its borders. */
    private List<Stmt> padInto(String xp, Expr first, long planes, long hp, long wp, boolean zero) {
        String x = in.get(0);
        List<Stmt> s = new ArrayList<>();
        if (zero) s.add(loop("i", 0, planes * hp * wp, vec(planes * hp * wp), store(xp, v("i"), f32(0))));
        Stmt row = loop("ix", 0, w, vec(w), store(xp, add(mul(add(add(mul(v("pc"), hp), v("iy")), pt), wp), add(v("ix"), pl)),
                load(x, add(mul(add(mul(add(first, v("pc")), h), v("iy")), w), v("ix")))));
        Stmt rows = loop("iy", 0, h, Annotation.SERIAL, row);
        s.add(planes == 1 ? block(local("pc", ScalarType.INDEX, i(0)), rows) : loop("pc", 0, planes, Annotation.SERIAL, rows));
        return s;
    }

    /**
     * {@code body(var)} for var in [lo, hi) as vector loops of exactly W (or W/2) lanes, which the
     * LLVM backend emits itself (strided loads as wide loads and shuffles), the last vector moved back
     * to end at hi instead of a scalar remainder: body must give the same result when run twice for
     * a var. Shorter ranges run as a plain loop.
     */
    static Stmt vectorTiles(String var, long lo, long hi, int vw, java.util.function.Function<Expr, List<Stmt>> body) {
        long extent = hi - lo;
        int l = extent >= vw ? vw : extent >= vw / 2 && vw / 2 >= 4 ? vw / 2 : 1;
        if (l == 1) return loop(var, lo, hi, Annotation.SERIAL, body.apply(v(var)).toArray(new Stmt[0]));
        // the index is an expression of the lane variable, not a local, so that accesses stay linear in it
        Stmt lanes = loop(var + "l", 0, l, new Annotation.Vectorize(l), body.apply(add(v(var + "0"), v(var + "l"))).toArray(new Stmt[0]));
        long count = Math.ceilDiv(extent, l);
        Expr first = count == 1 ? i(lo) : extent % l == 0 ? add(mul(v(var + "k"), l), i(lo)) : min(add(mul(v(var + "k"), l), i(lo)), i(hi - l));
        Stmt tile = block(local(var + "0", ScalarType.INDEX, first), lanes);
        return count == 1 ? tile : loop(var + "k", 0, count, count <= 8 ? new Annotation.Unroll((int) count) : Annotation.SERIAL, tile);
    }

    /** Strided convolutions read a phase-split copy of their (padded) input: see {@link #padPhased}. */
    private boolean phased() { return sh > 1 || sw > 1; }

    /** Row and column phases the copy keeps: only phase 0 for a kernel extent of 1. */
    private long rowPhases() { return kh == 1 ? 1 : sh; }

    private long colPhases() { return kw == 1 ? 1 : sw; }

    /** Rows and columns of one phase plane of the padded input. */
    private long planeRows() { return Math.ceilDiv(h + pt + pb, sh); }

    private long planeCols() { return Math.ceilDiv(w + pl + pr, sw); }

    /**
     * Copy {@code planes} planes of x (from plane {@code first}) into {@code xp} split by stride phase:
     * {@code xp[((pc * PY + py) * PX + px) * Hh * Wh + r * Wh + j] = xpadded[pc, r * sh + py, j * sw + px]}
     * (zero in the borders), so that every tap of a strided convolution reads consecutive elements:
     * output (oy, ox), tap (ky, kx) reads phase ((ky*dh) % sh, (kx*dw) % sw) at row oy + (ky*dh) / sh,
     * column ox + (kx*dw) / sw. Each row phase copies its input rows one by one, all column phases of
     * a row before the next row, so the row is read from L1 (a 112x112 plane does not fit in it).
     */
    private List<Stmt> padPhased(String xp, Expr first, long planes, boolean zero) {
        String x = in.get(0);
        long py0 = rowPhases(), px0 = colPhases(), hh = planeRows(), wh = planeCols();
        List<Stmt> copies = new ArrayList<>();
        boolean covered = true;
        for (long py = 0; py < py0; py++) {
            long rlo = Math.max(0, Math.ceilDiv(pt - py, sh)), rhi = Math.min(hh, Math.floorDiv(h - 1 + pt - py, sh) + 1);
            List<Stmt> cols = new ArrayList<>();
            for (long px = 0; px < px0; px++) {
                long jlo = Math.max(0, Math.ceilDiv(pl - px, sw)), jhi = Math.min(wh, Math.floorDiv(w - 1 + pl - px, sw) + 1);
                covered &= rlo == 0 && rhi == hh && jlo == 0 && jhi == wh;
                if (rlo >= rhi || jlo >= jhi) continue;
                final long fpy = py, fpx = px;
                java.util.function.Function<Expr, Expr> dst = pj -> add(add(mul(add(mul(v("pc"), py0), fpy), px0 * hh * wh), i(fpx * hh * wh)), add(mul(v("pr"), wh), pj));
                java.util.function.Function<Expr, Expr> src = pj -> add(add(mul(add(first, v("pc")), h * w), mul(add(mul(v("pr"), sh), i(fpy - pt)), w)), add(mul(pj, sw), i(fpx - pl)));
                // strided columns as explicit vectors: left to LLVM's loop vectorizer, a stride-2 copy
                // stays scalar (one load and one store per element, 0.39 of the 0.53 ms of the
                // stride-2 depthwise features.2.conv.1.0 of MobileNetV2-1.0)
                cols.add(sw > 1 ? vectorTiles("pj", jlo, jhi, vw, pj -> List.of(store(xp, dst.apply(pj), load(x, src.apply(pj)))))
                        : loop("pj", jlo, jhi, vec(jhi - jlo), store(xp, dst.apply(v("pj")), load(x, src.apply(v("pj"))))));
            }
            // each input row once for all its column phases, while it is in cache
            if (!cols.isEmpty()) copies.add(loop("pr", rlo, rhi, Annotation.SERIAL, cols.toArray(new Stmt[0])));
        }
        List<Stmt> s = new ArrayList<>();
        long size = planes * py0 * px0 * hh * wh;
        if (!covered && zero) s.add(loop("i", 0, size, vec(size), store(xp, v("i"), f32(0))));
        Block body = block(copies);
        s.add(planes == 1 ? block(local("pc", ScalarType.INDEX, i(0)), body) : loop("pc", 0, planes, Annotation.SERIAL, body));
        return s;
    }

    /** Index in the phase-split copy of input plane {@code plane}, tap row {@code kyd} = ky*dh (an expression), tap column kx. */
    private Expr phasedIndex(Expr plane, Expr kyd, long kx, Expr oy, Expr col) {
        long hh = planeRows(), wh = planeCols();
        Expr py = rowPhases() == 1 ? i(0) : rem(kyd, sh);
        Expr rowOff = div(kyd, sh);
        long px = colPhases() == 1 ? 0 : (kx * dw) % sw, colOff = (kx * dw) / sw;
        Expr p = add(mul(add(mul(plane, rowPhases()), py), colPhases()), i(px));
        return add(add(mul(p, hh * wh), mul(add(oy, rowOff), wh)), add(col, i(colOff)));
    }

    private Annotation vec(long trip) { return trip >= vw ? new Annotation.Vectorize(vw) : Annotation.SERIAL; }

    /** The fused epilogue's operand index for output (n, oc, oy, ox), where {@code flatRow} means ox runs over all pixels. */
    private Expr zAt(Expr vn, Expr oc, Expr oy, Expr ox, boolean flatRow) {
        if (zs == null) return null;
        Expr e = add(mul(vn, zs[0]), mul(oc, zs[1]));
        if (!flatRow) return add(add(e, mul(oy, zs[2])), mul(ox, zs[3]));
        if (zs[2] == ow * zs[3]) return add(e, mul(ox, zs[3]));
        return add(add(e, mul(div(ox, ow), zs[2])), mul(rem(ox, ow), zs[3]));
    }

    private Stmt finish(String acc, Expr oc, Expr vn, Expr oy, Expr ox, boolean flatRow, long rowLength, String suffix) {
        Fusion fusion = c.fusion();
        Expr value = bias ? fadd(v(acc), load(in.get(2), oc)) : v(acc);
        Expr at = add(add(mul(add(mul(vn, cout), oc), oh * ow), mul(oy, rowLength)), ox);
        Stmt fin = LowerGraph.finish(fusion, value, in, zAt(vn, oc, oy, ox, flatRow), y, at);
        return fin instanceof Block b ? LowerGraph.renameLocal(b, "v", "v" + suffix) : fin;
    }

    /**
     * {@code for ob { ocb = first channel; for oy { for t { xt = first column; for l in 0..L
     * vectorize(L) { acc_j = 0; for ic { for ky { x_kx = xs[...]; acc_j += w[ocb+j, ic, ky, kx] * x_kx
     * }}; y = epilogue(acc_j + bias) }}}}}}: each input vector loaded once for the block's channels,
     * each weight broadcast once for the tile's columns.
     */
    private Result dense(java.util.function.UnaryOperator<String> scratchName) {
        String x = in.get(0), wt = in.get(1);
        boolean flat = pointwise();
        boolean phased = !flat && phased();
        long hp = flat ? 1 : h + pt + pb, wp = flat ? h * w : phased ? planeCols() : w + pl + pr;
        long esh = phased ? 1 : sh, esw = phased ? 1 : sw;
        // rows too short for two vectors, stride 1: tiles run over the padded input's rows laid end to
        // end (outputs at q = oy * wp + ox read q + ky * wp + kx); the columns past each row's end are
        // computed too and dropped when the sums are copied out of a scratch buffer
        long gridCols = (oh - 1) * wp + ow;
        boolean grid = !flat && esh == 1 && esw == 1 && lanes(ow) < 2 * vw && lanes(gridCols) == 2 * vw;
        long cols = flat ? oh * ow : grid ? gridCols : ow;
        int lanes = lanes(cols);
        // a row that 2W-lane tiles would overshoot but W-lane tiles fit (56 = 7 * 8 on AVX2): tiles of
        // 2 output rows by W columns instead, the same registers and loads per tap without the
        // recomputed columns
        int rows = 1;
        if (!flat && !grid && lanes == 2 * vw && oh >= 2
                && Math.ceilDiv(cols, vw) * vw * Math.ceilDiv(oh, 2) * 2 < Math.ceilDiv(cols, lanes) * lanes * oh) {
            rows = 2;
            lanes = vw;
        }
        long block = channelBlock(lanes, rows);
        Expr vn = n == 1 ? i(0) : v("n");
        List<Buffer> scratch = new ArrayList<>();
        List<Stmt> perSample = new ArrayList<>();
        String xs = x;
        Expr xBase = mul(vn, cin * h * w);
        if (phased) {
            xs = scratchName.apply(y + ".padded");
            scratch.add(new Buffer(xs, ScalarType.F32, cin * rowPhases() * colPhases() * planeRows() * planeCols(), new Role.Scratch(Role.UNPLANNED)));
            perSample.addAll(padPhased(xs, mul(vn, cin), cin, true));
            xBase = i(0);
        } else if (padded()) {
            xs = scratchName.apply(y + ".padded");
            scratch.add(new Buffer(xs, ScalarType.F32, cin * hp * wp, new Role.Scratch(Role.UNPLANNED)));
            perSample.addAll(padInto(xs, mul(vn, cin), cin, hp, wp, true));
            xBase = i(0);
        }
        String sums = grid ? scratchName.apply(y + ".sums") : null;
        if (grid) scratch.add(new Buffer(sums, ScalarType.F32, cout * cols, new Role.Scratch(Role.UNPLANNED)));
        // a row of cols = m*L + r outputs with 0 < r <= W/2 (7x7 and 14x14 pointwise): m tiles of L,
        // then one half-register tile of W/2 lanes ending at the edge, with its own channel block,
        // instead of a last L-tile moved back that would recompute at least L - W/2 columns. (A
        // W-lane remainder tile for r = W, as on 56-wide rows, measured no faster than moving back.)
        long full = cols / lanes, rest = cols - full * lanes;
        int narrow = vw / 2;
        // pointwise rows whose length is not a whole number of cache lines (7x7, 14x14): each tile's
        // columns are first packed for all input channels, contiguous and aligned, so the tiles read
        // one cache line per input channel instead of two (960->320 on 7x7: 0.445 to 0.37 ms)
        boolean pack = flat && (cols * 4) % 64 != 0;
        if (flat && rows == 1 && rest > 0 && rest <= DOT_TAIL_COLUMNS && full > 0 && cin % vw == 0) {
            Expr start = full == 1 ? i(0) : mul(v("t"), lanes);
            String p1 = pack ? packed(scratchName, scratch, perSample, x, xBase, cols, lanes, full, start) : null;
            perSample.add(denseTiles(xs, xBase, phased, hp, wp, esh, esw, flat, grid, cols, sums, vn, 1, lanes, block, full, start, p1));
            perSample.addAll(dotTail(scratchName, scratch, x, xBase, cols, rest, vn));
        } else if (rows == 1 && rest > 0 && rest <= narrow && narrow >= 4 && narrow < lanes) {
            Expr start = full == 1 ? i(0) : mul(v("t"), lanes);
            String p1 = pack ? packed(scratchName, scratch, perSample, x, xBase, cols, lanes, full, start) : null;
            perSample.add(denseTiles(xs, xBase, phased, hp, wp, esh, esw, flat, grid, cols, sums, vn, 1, lanes, block, full, start, p1));
            String p2 = pack ? packed(scratchName, scratch, perSample, x, xBase, cols, narrow, 1, i(cols - narrow)) : null;
            perSample.add(denseTiles(xs, xBase, phased, hp, wp, esh, esw, flat, grid, cols, sums, vn, 1, narrow, channelBlock(narrow), 1, i(cols - narrow), p2));
        } else {
            long count = Math.ceilDiv(cols, lanes);
            String p1 = pack && rows == 1 ? packed(scratchName, scratch, perSample, x, xBase, cols, lanes, count, count == 1 ? i(0) : tileStart("t", lanes, cols)) : null;
            perSample.add(denseTiles(xs, xBase, phased, hp, wp, esh, esw, flat, grid, cols, sums, vn, rows, lanes, block, count, null, p1));
        }
        if (grid) {
            Stmt out = loop("ox", 0, ow, vec(ow), block(local("s", ScalarType.F32, load(sums, add(add(mul(v("oc"), cols), mul(v("oy"), wp)), v("ox")))),
                    finish("s", v("oc"), vn, v("oy"), v("ox"), false, ow, "")));
            perSample.add(loop("oc", 0, cout, Annotation.SERIAL, loop("oy", 0, oh, Annotation.SERIAL, out)));
        }
        Stmt all = n == 1 ? block(perSample) : loop("n", 0, n, Annotation.SERIAL, perSample.toArray(new Stmt[0]));
        return new Result(all instanceof Block b ? b : block(all), scratch);
    }

    /**
     * The tile loops of a dense conv: {@code tiles} tiles of {@code lanes} columns by {@code block}
     * channels per {@code rows} output rows (rows > 1: row blocks {@code oy0 = min(rb * rows, oh - rows)},
     * the last moved back); tile t starts at column {@code start} (an expression of t), or, when
     * null, at {@code min(t * lanes, cols - lanes)}.
     */
    private Stmt denseTiles(String xs, Expr xBase, boolean phased, long hp, long wp, long sh, long sw, boolean flat, boolean grid,
            long cols, String sums, Expr vn, int rows, int lanes, long block, long tiles, Expr start, String packed) {
        String wt = in.get(1);
        Expr ocb = v("ocb"), oy = flat || grid ? i(0) : v(rows == 1 ? "oy" : "oy0"), col = add(v("xt"), v("l"));
        List<Stmt> tap = new ArrayList<>();
        for (long kx = 0; kx < kw; kx++) {
            Expr ky = kh == 1 ? i(0) : v("ky");
            for (int r = 0; r < rows; r++) {
                Expr oyr = r == 0 ? oy : add(oy, i(r));
                Expr xIdx = packed != null ? add(mul(add(mul(tiles == 1 ? i(0) : v("t"), cin), v("ic")), lanes), v("l"))
                        : phased ? phasedIndex(v("ic"), mul(ky, dh), kx, oyr, col)
                        : add(add(xBase, mul(add(add(mul(v("ic"), hp), mul(oyr, sh)), mul(ky, dh)), wp)), add(mul(col, sw), i(kx * dw)));
                tap.add(local(xv(kx, r, rows), ScalarType.F32, load(packed != null ? packed : xs, xIdx)));
            }
            for (long j = 0; j < block; j++) {
                Expr wIdx = add(mul(add(mul(add(ocb, j), cin), v("ic")), kh * kw), add(mul(ky, kw), i(kx)));
                if (rows == 1) {
                    tap.add(assign("acc" + j, fadd(v("acc" + j), fmul(load(wt, wIdx), v("xv" + kx)))));
                    continue;
                }
                // one weight load for the tile's rows
                String wv = "wv" + kx + "_" + j;
                tap.add(local(wv, ScalarType.F32, load(wt, wIdx)));
                for (int r = 0; r < rows; r++) tap.add(assign(acc(j, r, rows), fadd(v(acc(j, r, rows)), fmul(v(wv), v(xv(kx, r, rows))))));
            }
        }
        Stmt reduce = kh == 1 ? block(tap) : loop("ky", 0, kh, Annotation.SERIAL, tap.toArray(new Stmt[0]));
        List<Stmt> tile = new ArrayList<>();
        for (long j = 0; j < block; j++) for (int r = 0; r < rows; r++) tile.add(local(acc(j, r, rows), ScalarType.F32, f32(0)));
        tile.add(loop("ic", 0, cin, Annotation.SERIAL, reduce));
        for (long j = 0; j < block; j++) {
            for (int r = 0; r < rows; r++) {
                String a = acc(j, r, rows);
                tile.add(grid ? store(sums, add(mul(add(ocb, j), cols), col), v(a))
                        : finish(a, add(ocb, j), vn, r == 0 ? oy : add(oy, i(r)), col, flat, cols, rows == 1 ? Long.toString(j) : j + "_" + r));
            }
        }
        Stmt s = loop("l", 0, lanes, new Annotation.Vectorize(lanes), tile.toArray(new Stmt[0]));
        Stmt xt = local("xt", ScalarType.INDEX, start != null ? start : tiles == 1 ? i(0) : tileStart("t", lanes, cols));
        if (flat || grid) {
            // column bands: all channel blocks of a band of tiles before the next band when the
            // input would not stay in cache across the channel blocks
            long halo = grid ? (kh - 1) * dh * wp + (kw - 1) * dw : 0;
            long band = tiles == 1 || cin * (flat ? cols : hp * wp) * 4 <= BAND_INPUT ? tiles
                    : Math.max(1, Math.min(tiles, (BAND_BYTES / (cin * 4) - halo) / lanes));
            s = tiles == 1 ? block(xt, s) : band >= tiles ? loop("t", 0, tiles, Annotation.SERIAL, xt, s)
                    : loop("t", mul(v("bd"), band), min(add(mul(v("bd"), band), i(band)), i(tiles)), Annotation.SERIAL, xt, s);
            s = loop("ob", 0, Math.ceilDiv(cout, block), Annotation.SERIAL, local("ocb", ScalarType.INDEX, tileStart("ob", block, cout)), s);
            return band >= tiles ? s : loop("bd", 0, Math.ceilDiv(tiles, band), Annotation.SERIAL, s);
        }
        s = tiles == 1 ? block(xt, s) : loop("t", 0, tiles, Annotation.SERIAL, xt, s);
        // row bands: all channel blocks of a band of output rows before the next band, so the band's
        // input rows stay in cache across the channel blocks when the whole input would not
        String rv = rows == 1 ? "oy" : "rb";
        long units = Math.ceilDiv(oh, rows), band = bandUnits(rows, units);
        Stmt[] body = rows == 1 ? new Stmt[] {s} : new Stmt[] {local("oy0", ScalarType.INDEX, tileStart("rb", rows, oh)), s};
        Stmt rowLoop = band >= units ? loop(rv, 0, units, Annotation.SERIAL, body)
                : loop(rv, mul(v("bd"), band), min(add(mul(v("bd"), band), i(band)), i(units)), Annotation.SERIAL, body);
        s = loop("ob", 0, Math.ceilDiv(cout, block), Annotation.SERIAL, local("ocb", ScalarType.INDEX, tileStart("ob", block, cout)), rowLoop);
        return band >= units ? s : loop("bd", 0, Math.ceilDiv(units, band), Annotation.SERIAL, s);
    }

    /**
     * Where a depthwise channel's taps read: the input itself ({@code base} = the channel's plane), or
     * a scratch plane, padded or phase-split, that {@code perChannel} fills for each channel
     * ({@code base} 0) and whose borders {@code zeroBorders} (null without a scratch) zeroes once per
     * kernel: the per-channel copies never write them.
     */
    private record Plane(String buffer, Expr base, Stmt zeroBorders) {}

    private Plane plane(java.util.function.UnaryOperator<String> scratchName, List<Buffer> scratch, List<Stmt> perChannel, Expr vn, Expr ch) {
        if (!phased() && !padded()) return new Plane(in.get(0), mul(add(mul(vn, cin), ch), h * w), null);
        String xs = scratchName.apply(y + ".padded");
        long hp = h + pt + pb, wp = w + pl + pr;
        long size = phased() ? rowPhases() * colPhases() * planeRows() * planeCols() : hp * wp;
        scratch.add(new Buffer(xs, ScalarType.F32, size, new Role.Scratch(Role.UNPLANNED)));
        perChannel.addAll(phased() ? padPhased(xs, add(mul(vn, cin), ch), 1, false) : padInto(xs, add(mul(vn, cin), ch), 1, hp, wp, false));
        return new Plane(xs, i(0), loop("i", 0, size, vec(size), store(xs, v("i"), f32(0))));
    }

    /**
     * Depthwise convolutions whose output rows are narrower than a vector (7x7 maps on AVX2): per
     * channel, the padded (or phase-split) plane as for {@link #depthwise}, then the outputs computed
     * over the plane's rows laid end to end, {@code q = oy * P + ox} for the plane's row pitch P, tap
     * (ky, kx) reading {@code q + offset(ky, kx)}, in groups of tiles of 2W lanes; the sums go to a
     * scratch row from which the columns {@code ox < ow} are finished. A 7-wide row otherwise takes
     * two overlapping half-register tiles per row; a 7x7 output with 5x5 taps on an 11-wide padded
     * plane is 73 grid positions, 5 tiles of 16. The products are summed in the interpreter's order.
     */
    private Result depthwiseGrid(java.util.function.UnaryOperator<String> scratchName) {
        String wt = in.get(1);
        boolean phased = phased();
        long hp = h + pt + pb, wp = w + pl + pr;
        long pitch = phased ? planeCols() : wp, cols = (oh - 1) * pitch + ow;
        Expr vn = n == 1 ? i(0) : v("n"), ch = v("c");
        List<Buffer> scratch = new ArrayList<>();
        List<Stmt> perChannel = new ArrayList<>();
        Plane plane = plane(scratchName, scratch, perChannel, vn, ch);
        String xs = plane.buffer();
        Expr xBase = plane.base();
        Stmt zeroBorders = plane.zeroBorders();
        String sums = scratchName.apply(y + ".sums");
        scratch.add(new Buffer(sums, ScalarType.F32, cols, new Role.Scratch(Role.UNPLANNED)));
        int lanes = 2 * vw;
        long tiles = Math.ceilDiv(cols, lanes);
        long group = Math.min(tiles, DEPTHWISE_ACCUMULATORS / registers(lanes));
        for (long g0 = 0; g0 < tiles; g0 += group) {
            long gn = Math.min(group, tiles - g0);
            List<Stmt> body = new ArrayList<>();
            for (long t = 0; t < gn; t++) body.add(local("acc" + t, ScalarType.F32, f32(0)));
            for (long ky = 0; ky < kh; ky++) {
                for (long kx = 0; kx < kw; kx++) {
                    long offset = phased ? phasedIndexOffset(ky * dh, kx) : ky * dh * wp + kx * dw;
                    String wv = "w" + ky + "_" + kx;
                    body.add(local(wv, ScalarType.F32, load(wt, add(mul(ch, kh * kw), i(ky * kw + kx)))));
                    for (long t = 0; t < gn; t++) {
                        long start = Math.min((g0 + t) * lanes, cols - lanes);
                        body.add(assign("acc" + t, fadd(v("acc" + t), fmul(v(wv), load(xs, add(xBase, add(i(start + offset), v("l"))))))));
                    }
                }
            }
            for (long t = 0; t < gn; t++) body.add(store(sums, add(i(Math.min((g0 + t) * lanes, cols - lanes)), v("l")), v("acc" + t)));
            perChannel.add(loop("l", 0, lanes, new Annotation.Vectorize(lanes), body.toArray(new Stmt[0])));
        }
        Stmt row = vectorTiles("ox", 0, ow, vw, ox -> List.of(block(local("s", ScalarType.F32, load(sums, add(mul(v("oy"), pitch), ox))),
                finish("s", ch, vn, v("oy"), ox, false, ow, ""))));
        perChannel.add(loop("oy", 0, oh, Annotation.SERIAL, row));
        Stmt all = loop("c", 0, cout, Annotation.SERIAL, perChannel.toArray(new Stmt[0]));
        if (n > 1) all = loop("n", 0, n, Annotation.SERIAL, all);
        return new Result(zeroBorders == null ? block(all) : block(zeroBorders, all), scratch);
    }

    /** {@link #phasedIndex} of plane 0 at output (0, 0): where tap (kyd = ky*dh, kx) starts in the phase-split copy. */
    private long phasedIndexOffset(long kyd, long kx) {
        long hh = planeRows(), wh = planeCols();
        long py = rowPhases() == 1 ? 0 : kyd % sh, rowOff = kyd / sh;
        long px = colPhases() == 1 ? 0 : (kx * dw) % sw, colOff = (kx * dw) / sw;
        return (py * colPhases() + px) * hh * wh + rowOff * wh + colOff;
    }

    /**
     * Pointwise rows ending in at most this many columns past the last whole tile take
     * {@link #dotTail}. It would apply to 14x14 maps too (4 columns), but there it added 30-50 ms of
     * LLVM time per kernel (measured kernel by kernel on MobileNetV2-1.0), more than the 3 s compile
     * budget of MobileNetV2-1.0 could take for its 7 such kernels; on 7x7 maps (1 column) it saved 6
     * to 17 us per kernel of MnasNet-0.5.
     */
    static final int DOT_TAIL_COLUMNS = 1;

    /**
     * The last {@code rest} columns of a pointwise conv (a 7x7 map is 3 tiles of 16 and 1 column) as
     * dot products over the input channels, vectorized along them: {@code tail[k][ic] = x[ic][first +
     * k]}; then per block of channels {@code for l in 0..W vectorize(W) { acc_jk = sum over ic = l
     * (mod W) of w[oc+j, ic] * tail[k][ic] }}, the W partial sums stored and added pairwise, then bias
     * and epilogue. A tile of narrow columns would spend a whole (half) register per channel and input
     * channel on 1 to 4 columns; here each multiply-add does W input channels of one column. The sums
     * are in another order than the interpreter's (W interleaved partial sums), like Winograd's.
     */
    private List<Stmt> dotTail(java.util.function.UnaryOperator<String> scratchName, List<Buffer> scratch, String x, Expr xBase,
            long cols, long rest, Expr vn) {
        String wt = in.get(1);
        long first = cols - rest;
        long block = Math.max(1, Math.min(cout, DENSE_ACCUMULATORS / rest));
        String tail = scratchName.apply(y + ".tail");
        scratch.add(new Buffer(tail, ScalarType.F32, rest * cin, new Role.Scratch(Role.UNPLANNED)));
        String part = scratchName.apply(y + ".partial");
        scratch.add(new Buffer(part, ScalarType.F32, block * rest * vw, new Role.Scratch(Role.UNPLANNED)));
        List<Stmt> s = new ArrayList<>();
        // the copy as explicit vectors of W input channels (W loads of a column each), so LLVM's loop
        // vectorizer does not take up the strided loop itself (it doubled the kernel's compile time)
        Expr ic = add(mul(v("icb"), vw), v("l"));
        s.add(loop("k", 0, rest, Annotation.SERIAL, loop("icb", 0, cin / vw, Annotation.SERIAL, loop("l", 0, vw, new Annotation.Vectorize(vw),
                store(tail, add(mul(v("k"), cin), ic), load(x, add(add(xBase, mul(ic, cols)), add(v("k"), i(first)))))))));
        List<Stmt> step = new ArrayList<>();
        for (long k = 0; k < rest; k++) step.add(local("tx" + k, ScalarType.F32, load(tail, add(i(k * cin), ic))));
        for (long j = 0; j < block; j++) {
            step.add(local("tw" + j, ScalarType.F32, load(wt, add(mul(add(v("ocb"), j), cin), ic))));
            for (long k = 0; k < rest; k++) step.add(assign("acc" + j + "_" + k, fadd(v("acc" + j + "_" + k), fmul(v("tw" + j), v("tx" + k)))));
        }
        List<Stmt> lanes = new ArrayList<>();
        for (long j = 0; j < block; j++) for (long k = 0; k < rest; k++) lanes.add(local("acc" + j + "_" + k, ScalarType.F32, f32(0)));
        lanes.add(loop("icb", 0, cin / vw, Annotation.SERIAL, step.toArray(new Stmt[0])));
        for (long j = 0; j < block; j++) {
            for (long k = 0; k < rest; k++) lanes.add(store(part, add(i((j * rest + k) * vw), v("l")), v("acc" + j + "_" + k)));
        }
        List<Stmt> perBlock = new ArrayList<>();
        perBlock.add(local("ocb", ScalarType.INDEX, tileStart("ob", block, cout)));
        perBlock.add(loop("l", 0, vw, new Annotation.Vectorize(vw), lanes.toArray(new Stmt[0])));
        for (long j = 0; j < block; j++) {
            for (long k = 0; k < rest; k++) {
                long base = (j * rest + k) * vw;
                String sum = "s" + j + "_" + k;
                perBlock.add(local(sum, ScalarType.F32, pairwise(part, base, vw)));
                perBlock.add(finish(sum, add(v("ocb"), j), vn, i(0), i(first + k), true, cols, "t" + j + "_" + k));
            }
        }
        s.add(loop("ob", 0, Math.ceilDiv(cout, block), Annotation.SERIAL, perBlock.toArray(new Stmt[0])));
        return s;
    }

    /** {@code buf[base] + ... + buf[base + count - 1]}, added pairwise. */
    private static Expr pairwise(String buf, long base, long count) {
        if (count == 1) return load(buf, i(base));
        long half = count / 2;
        return fadd(pairwise(buf, base, half), pairwise(buf, base + half, count - half));
    }

    /**
     * A scratch copy of x for {@code tiles} pointwise tiles of {@code lanes} columns, tile t starting
     * at column {@code start(t)}: {@code packed[t][ic][l] = x[ic][start + l]}, the copy loops added to
     * {@code body}; returns the copy's name.
     */
    private String packed(java.util.function.UnaryOperator<String> scratchName, List<Buffer> scratch, List<Stmt> body,
            String x, Expr xBase, long cols, int lanes, long tiles, Expr start) {
        // one name per tile width: the scratch names are only unique among buffers already registered
        String p = scratchName.apply(y + ".packed" + lanes);
        scratch.add(new Buffer(p, ScalarType.F32, tiles * cin * lanes, new Role.Scratch(Role.UNPLANNED)));
        Expr t = tiles == 1 ? i(0) : v("t");
        Stmt copy = loop("l", 0, lanes, new Annotation.Vectorize(lanes),
                store(p, add(mul(add(mul(t, cin), v("ic")), lanes), v("l")), load(x, add(add(xBase, mul(v("ic"), cols)), add(v("xt"), v("l"))))));
        Stmt perTile = block(local("xt", ScalarType.INDEX, start), loop("ic", 0, cin, Annotation.SERIAL, copy));
        body.add(tiles == 1 ? perTile : loop("t", 0, tiles, Annotation.SERIAL, perTile));
        return p;
    }

    /**
     * Dense convolutions whose input (padded) is larger than BAND_INPUT bytes run in bands of output
     * rows (or of column tiles) that read about BAND_BYTES of it, all channel blocks per band, so
     * the band's input stays in cache across the channel blocks (measured on a 512 KiB L2: 128 KiB
     * bands, 5-13% faster on inputs of 450 KiB to 1.8 MiB; inputs of 256 KiB lose a little when banded).
     */
    static final long BAND_INPUT = 256 * 1024, BAND_BYTES = 128 * 1024;

    /** Row blocks (of {@code rows} output rows) per band: all of them when the input is at most {@link #BAND_INPUT}. */
    private long bandUnits(int rows, long units) {
        long rowBytes = cin * (w + pl + pr) * 4;
        if (cin * (h + pt + pb) * (w + pl + pr) * 4 <= BAND_INPUT) return units;
        long inRows = Math.max(1, BAND_BYTES / rowBytes);
        return Math.max(1, Math.min(units, (inRows - (kh - 1) * dh) / (rows * sh)));
    }

    private static String xv(long kx, int r, int rows) { return rows == 1 ? "xv" + kx : "xv" + kx + "_" + r; }

    private static String acc(long j, int r, int rows) { return rows == 1 ? "acc" + j : "acc" + j + "_" + r; }

    /**
     * Per channel: the padded plane, then {@code for rb { oy0 = first row; for t { xt = first
     * column; for l in 0..L vectorize(L) { acc_r = 0 (R rows); each input row and tap column loaded
     * once, added into every output row that uses it; y = epilogue(acc_r + bias) }}}}.
     */
    private Result depthwise(java.util.function.UnaryOperator<String> scratchName) {
        if (ow < vw && lanes((oh - 1) * (phased() ? planeCols() : w + pl + pr) + ow) == 2 * vw) return depthwiseGrid(scratchName);
        String wt = in.get(1);
        long hp = h + pt + pb, wp = w + pl + pr;
        boolean phased = phased();
        int lanes = lanes(ow);
        long rowsPerTile = Math.min(oh, DEPTHWISE_ACCUMULATORS / registers(lanes));
        Expr vn = n == 1 ? i(0) : v("n"), ch = v("c");
        List<Buffer> scratch = new ArrayList<>();
        List<Stmt> perChannel = new ArrayList<>();
        Plane plane = plane(scratchName, scratch, perChannel, vn, ch);
        String xs = plane.buffer();
        Expr xBase = plane.base();
        Stmt zeroBorders = plane.zeroBorders();
        Expr col = add(v("xt"), v("l"));
        // input row offsets q = r*sh + ky*dh from the tile's first input row, and the (r, ky) using each
        TreeMap<Long, List<long[]>> uses = new TreeMap<>();
        for (long r = 0; r < rowsPerTile; r++) for (long ky = 0; ky < kh; ky++) uses.computeIfAbsent(r * sh + ky * dh, q -> new ArrayList<>()).add(new long[] {r, ky});
        List<Stmt> tile = new ArrayList<>();
        for (long r = 0; r < rowsPerTile; r++) tile.add(local("acc" + r, ScalarType.F32, f32(0)));
        // each accumulator's products in ky, kx order: rows ascend with ky for a fixed r
        for (var e : uses.entrySet()) {
            long q = e.getKey();
            for (long kx = 0; kx < kw; kx++) {
                String xv = "x" + q + "_" + kx;
                // input row oy0 * sh + q: phase q % sh, row oy0 + q / sh of the phase-split copy
                Expr xIdx = phased ? phasedIndex(i(0), i(q), kx, v("oy0"), col)
                        : add(add(xBase, mul(add(mul(v("oy0"), sh), q), wp)), add(mul(col, sw), i(kx * dw)));
                tile.add(local(xv, ScalarType.F32, load(xs, xIdx)));
                for (long[] rk : e.getValue()) {
                    Expr wIdx = add(mul(ch, kh * kw), i(rk[1] * kw + kx));
                    tile.add(assign("acc" + rk[0], fadd(v("acc" + rk[0]), fmul(load(wt, wIdx), v(xv)))));
                }
            }
        }
        for (long r = 0; r < rowsPerTile; r++) tile.add(finish("acc" + r, ch, vn, add(v("oy0"), r), col, false, ow, Long.toString(r)));
        Stmt s = loop("l", 0, lanes, new Annotation.Vectorize(lanes), tile.toArray(new Stmt[0]));
        s = loop("t", 0, Math.ceilDiv(ow, lanes), Annotation.SERIAL, local("xt", ScalarType.INDEX, tileStart("t", lanes, ow)), s);
        s = loop("rb", 0, Math.ceilDiv(oh, rowsPerTile), Annotation.SERIAL, local("oy0", ScalarType.INDEX, tileStart("rb", rowsPerTile, oh)), s);
        perChannel.add(s);
        Stmt all = loop("c", 0, cout, Annotation.SERIAL, perChannel.toArray(new Stmt[0]));
        if (n > 1) all = loop("n", 0, n, Annotation.SERIAL, all);
        return new Result(zeroBorders == null ? block(all) : block(zeroBorders, all), scratch);
    }
}
