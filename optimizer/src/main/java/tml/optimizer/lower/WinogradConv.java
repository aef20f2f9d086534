package tml.optimizer.lower;

import static tml.ir.loop.Exprs.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.TensorType;
import tml.ir.loop.Annotation;
import tml.ir.loop.Buffer;
import tml.ir.loop.Buffer.Role;
import tml.ir.loop.Expr;
import tml.ir.loop.ScalarType;
import tml.ir.loop.Stmt;
import tml.ir.loop.Stmt.Block;
import tml.ir.loop.WeightTransform;

/**
 * Dense 3x3 stride-1 convolutions by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray,
 * 2016): each 2x2 block of outputs (a tile) is {@code A^T [U (.) V] A} with {@code V = B^T d B} the
 * transform of the tile's 4x4 input patch d and {@code U = G g G^T} the transform of the 3x3 kernel
 * g, made once at compile time ({@link WeightTransform#WINOGRAD_F2X3}). Summed over input channels
 * the elementwise products become 16 independent matrix products {@code M[xi] = U[xi] V[xi]}
 * ({@code [cout][cin] x [cin][tiles]}), 16 multiplies per tile and channel pair instead of 36:
 * 2.25 times fewer multiply-adds than the direct convolution.
 *
 * <p>The kernel runs in three steps per sample: the input transform (the input copied with its
 * padding, and zeros up to whole tiles, then every tile of every channel into
 * {@code V[16][cin][tiles]}, vectorized across a row of tiles), the 16 products (register tiles of
 * 2W tiles by 6 output channels, as {@link TiledConv}'s pointwise tiles) into {@code M[16][cout][tiles]},
 * and the output transform with the bias and the fused epilogue. The sums are reordered (the
 * transforms add inputs before the products), so results differ from the direct convolution by a
 * few f32 roundings.
 */
final class WinogradConv {
    record Result(Block body, List<Buffer> scratch) {}

    /** The 16 elements of a tile in the Winograd domain. */
    private static final int XI = 16;

    private final Conv2d c;
    private final List<String> in;
    private final String y, u;
    private final int vw;
    private final long[] zs;
    private final boolean bias;
    private final long n, cin, h, w, cout, oh, ow, pt, pl, th, tw, tiles, hp, wp;

    private WinogradConv(Conv2d c, List<String> in, String y, String u, TensorType xt, TensorType wt, TensorType yt, long[] zs, int vw) {
        this.c = c;
        this.in = in;
        this.y = y;
        this.u = u;
        this.vw = vw;
        this.zs = zs;
        bias = in.size() - c.fusion().extraOperands() > 2;
        n = xt.dim(0);
        cin = xt.dim(1);
        h = xt.dim(2);
        w = xt.dim(3);
        cout = wt.dim(0);
        oh = yt.dim(2);
        ow = yt.dim(3);
        pt = c.padding().top();
        pl = c.padding().left();
        th = Math.ceilDiv(oh, 2);
        tw = Math.ceilDiv(ow, 2);
        tiles = th * tw;
        // the padded input as whole tiles read it: 2 more rows and columns than the outputs they cover
        hp = 2 * th + 2;
        wp = 2 * tw + 2;
    }

    /**
     * Whether a conv2d runs as Winograd F(2x2, 3x3) on a target with {@code vw} f32 lanes: dense, 3x3,
     * stride and dilation 1, padding at least 0, with enough channels for the products to dominate
     * the transforms and rows of at least 4 tiles (so the transforms vectorize).
     */
    static boolean applies(Conv2d c, TensorType xt, TensorType wt, TensorType yt, int vw) {
        if (vw < 8 || c.groups() != 1 || xt.rank() != 4) return false;
        if (wt.dim(2) != 3 || wt.dim(3) != 3) return false;
        if (c.stride().h() != 1 || c.stride().w() != 1 || c.dilation().h() != 1 || c.dilation().w() != 1) return false;
        var p = c.padding();
        if (p.top() < 0 || p.left() < 0 || p.bottom() < 0 || p.right() < 0) return false;
        return xt.dim(1) >= MIN_CHANNELS && wt.dim(0) >= MIN_CHANNELS && Math.ceilDiv(yt.dim(3), 2) >= 4 && Math.ceilDiv(yt.dim(2), 2) >= 2;
    }

    /** Input and output channels below which the transforms cost more than the saved multiplies. */
    static final long MIN_CHANNELS = 16;

    /**
     * The Winograd schedule of a conv2d for which {@link #applies} holds.
     *
     * @param u the packed weight buffer ({@code [16][cout][cin]}, {@link WeightTransform#WINOGRAD_F2X3} of the conv's weight)
     * @param zs the broadcast strides of the fused epilogue operand in the output, or null
     */
    static Result of(Conv2d c, List<String> in, String y, String u, TensorType xt, TensorType wt, TensorType yt, long[] zs, int vw,
            UnaryOperator<String> scratchName) {
        return new WinogradConv(c, in, y, u, xt, wt, yt, zs, vw).lower(scratchName);
    }

    private Result lower(UnaryOperator<String> scratchName) {
        String xp = scratchName.apply(y + ".padded"), vt = scratchName.apply(y + ".winograd_in"), mt = scratchName.apply(y + ".winograd_out");
        List<Buffer> scratch = List.of(
                new Buffer(xp, ScalarType.F32, cin * hp * wp, new Role.Scratch(Role.UNPLANNED)),
                new Buffer(vt, ScalarType.F32, XI * cin * tiles, new Role.Scratch(Role.UNPLANNED)),
                new Buffer(mt, ScalarType.F32, XI * cout * tiles, new Role.Scratch(Role.UNPLANNED)));
        Expr vn = n == 1 ? i(0) : v("n");
        List<Stmt> s = new ArrayList<>();
        s.addAll(pad(xp, vn));
        s.add(inputTransform(xp, vt));
        s.add(products(vt, mt));
        s.addAll(outputTransform(mt, vn));
        Stmt all = n == 1 ? block(s) : loop("n", 0, n, Annotation.SERIAL, s.toArray(new Stmt[0]));
        return new Result(all instanceof Block b ? b : block(all), scratch);
    }

    private Annotation vec(long trip) { return trip >= vw ? new Annotation.Vectorize(vw) : Annotation.SERIAL; }

    /** Zero the padded copy and copy sample vn's planes inside its borders. */
    private List<Stmt> pad(String xp, Expr vn) {
        long size = cin * hp * wp;
        Stmt zero = loop("i", 0, size, vec(size), store(xp, v("i"), f32(0)));
        // rows and columns of x inside the tiles' reach (a bottom or right padding of more than one
        // row leaves rows no tile reads)
        long rows = Math.min(h, hp - pt), cols = Math.min(w, wp - pl);
        Stmt row = loop("ix", 0, cols, vec(cols), store(xp, add(mul(add(add(mul(v("pc"), hp), v("iy")), pt), wp), add(v("ix"), pl)),
                load(in.get(0), add(mul(add(mul(vn, cin), v("pc")), h * w), add(mul(v("iy"), w), v("ix"))))));
        return List.of(zero, loop("pc", 0, cin, Annotation.SERIAL, loop("iy", 0, rows, Annotation.SERIAL, row)));
    }

    /**
     * {@code V[xi][ic][t] = (B^T d B)[xi]} for the 4x4 patch d of tile t = (ty, tx) at padded row
     * 2ty, column 2tx, with B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]].
     */
    private Stmt inputTransform(String xp, String vt) {
        return loop("ic", 0, cin, Annotation.SERIAL, loop("ty", 0, th, Annotation.SERIAL, TiledConv.vectorTiles("tx", 0, tw, vw, tx -> inputTile(xp, vt, tx))));
    }

    private List<Stmt> inputTile(String xp, String vt, Expr tx) {
        List<Stmt> body = new ArrayList<>();
        Expr base = add(mul(add(mul(v("ic"), hp), mul(v("ty"), 2)), wp), mul(tx, 2));
        for (int r = 0; r < 4; r++) {
            for (int k = 0; k < 4; k++) body.add(local("d" + r + k, ScalarType.F32, load(xp, add(base, i(r * wp + k)))));
        }
        // t = B^T d, by columns
        for (int k = 0; k < 4; k++) {
            body.add(local("t0" + k, ScalarType.F32, fsub(v("d0" + k), v("d2" + k))));
            body.add(local("t1" + k, ScalarType.F32, fadd(v("d1" + k), v("d2" + k))));
            body.add(local("t2" + k, ScalarType.F32, fsub(v("d2" + k), v("d1" + k))));
            body.add(local("t3" + k, ScalarType.F32, fsub(v("d1" + k), v("d3" + k))));
        }
        // V = t B, by rows
        Expr t = add(mul(v("ty"), tw), tx);
        for (int a = 0; a < 4; a++) {
            Expr[] row = {
                fsub(v("t" + a + 0), v("t" + a + 2)),
                fadd(v("t" + a + 1), v("t" + a + 2)),
                fsub(v("t" + a + 2), v("t" + a + 1)),
                fsub(v("t" + a + 1), v("t" + a + 3))};
            for (int b = 0; b < 4; b++) body.add(store(vt, add(mul(add(i((4L * a + b) * cin), v("ic")), tiles), t), row[b]));
        }
        return body;
    }

    /**
     * {@code M[xi][oc][t] = sum over ic of U[xi][oc][ic] * V[xi][ic][t]}: for each xi, tiles of L
     * consecutive t (one vector loop of exactly L lanes) by a block of output channels, the sums in
     * registers, the last tile and channel block moved back to end at the edge (they recompute equal
     * values). A row of tiles that leaves at most W/2 after its L-tiles ends with one W/2-lane tile.
     */
    private Stmt products(String vt, String mt) {
        int lanes = tiles >= 2L * vw ? 2 * vw : tiles >= vw ? vw : vw / 2;
        long full = tiles / lanes, rest = tiles - full * lanes;
        int narrow = vw / 2;
        List<Stmt> perXi = new ArrayList<>();
        if (rest > 0 && rest <= narrow && narrow < lanes) {
            perXi.add(productTiles(vt, mt, lanes, full, full == 1 ? i(0) : mul(v("t"), lanes)));
            perXi.add(productTiles(vt, mt, narrow, 1, i(tiles - narrow)));
        } else {
            long count = Math.ceilDiv(tiles, lanes);
            perXi.add(productTiles(vt, mt, lanes, count, count == 1 ? i(0) : min(mul(v("t"), lanes), i(tiles - lanes))));
        }
        return loop("xi", 0, XI, Annotation.SERIAL, perXi.toArray(new Stmt[0]));
    }

    private Stmt productTiles(String vt, String mt, int lanes, long count, Expr start) {
        long block = TiledConv.channelBlock(cout, Math.max(1, lanes / vw));
        Expr ocb = v("ocb"), col = add(v("tt"), v("l"));
        List<Stmt> tap = new ArrayList<>();
        tap.add(local("x", ScalarType.F32, load(vt, add(mul(add(mul(v("xi"), cin), v("ic")), tiles), col))));
        for (long j = 0; j < block; j++) {
            Expr wIdx = add(mul(add(mul(v("xi"), cout), add(ocb, i(j))), cin), v("ic"));
            tap.add(assign("acc" + j, fadd(v("acc" + j), fmul(load(u, wIdx), v("x")))));
        }
        List<Stmt> tile = new ArrayList<>();
        for (long j = 0; j < block; j++) tile.add(local("acc" + j, ScalarType.F32, f32(0)));
        tile.add(loop("ic", 0, cin, Annotation.SERIAL, tap.toArray(new Stmt[0])));
        for (long j = 0; j < block; j++) {
            tile.add(store(mt, add(mul(add(mul(v("xi"), cout), add(ocb, i(j))), tiles), col), v("acc" + j)));
        }
        Stmt s = loop("l", 0, lanes, new Annotation.Vectorize(lanes), tile.toArray(new Stmt[0]));
        Stmt tt = local("tt", ScalarType.INDEX, start);
        s = count == 1 ? block(tt, s) : loop("t", 0, count, Annotation.SERIAL, tt, s);
        long blocks = Math.ceilDiv(cout, block);
        Expr first = blocks == 1 ? i(0) : min(mul(v("ob"), block), i(cout - block));
        return loop("ob", 0, blocks, Annotation.SERIAL, local("ocb", ScalarType.INDEX, first), s);
    }

    /**
     * {@code Y = A^T M A} per tile and output channel, A^T = [[1, 1, 1, 0], [0, 1, -1, -1]], plus the
     * bias and the fused epilogue. Tiles of whole 2x2 outputs run as one vector loop per tile row; an
     * odd output height or width ends with a row or column of tiles that writes only their first
     * output row or column.
     */
    private List<Stmt> outputTransform(String mt, Expr vn) {
        List<Stmt> perChannel = new ArrayList<>();
        long fullRows = oh / 2, fullCols = ow / 2;
        perChannel.add(loop("ty", 0, fullRows, Annotation.SERIAL, tileRow(mt, vn, 2, fullCols)));
        if (oh % 2 == 1) perChannel.add(block(local("ty", ScalarType.INDEX, i(fullRows)), tileRow(mt, vn, 1, fullCols)));
        return List.of(loop("oc", 0, cout, Annotation.SERIAL, perChannel.toArray(new Stmt[0])));
    }

    private Block tileRow(String mt, Expr vn, int rows, long fullCols) {
        List<Stmt> s = new ArrayList<>();
        s.add(TiledConv.vectorTiles("tx", 0, fullCols, vw, tx -> tile(mt, vn, rows, 2, tx).stmts()));
        if (ow % 2 == 1) s.add(tile(mt, vn, rows, 1, i(fullCols)));
        return block(s);
    }

    private Block tile(String mt, Expr vn, int rows, int cols, Expr tx) {
        List<Stmt> body = new ArrayList<>();
        Expr t = add(mul(v("ty"), tw), tx);
        for (int xi = 0; xi < XI; xi++) {
            body.add(local("m" + xi, ScalarType.F32, load(mt, add(mul(add(i(xi * cout), v("oc")), tiles), t))));
        }
        // s = A^T m, by columns; then Y = s A, by rows
        for (int k = 0; k < 4; k++) {
            body.add(local("s0" + k, ScalarType.F32, fadd(fadd(v("m" + k), v("m" + (4 + k))), v("m" + (8 + k)))));
            if (rows == 2) body.add(local("s1" + k, ScalarType.F32, fsub(fsub(v("m" + (4 + k)), v("m" + (8 + k))), v("m" + (12 + k)))));
        }
        for (int r = 0; r < rows; r++) {
            Expr[] out = {
                fadd(fadd(v("s" + r + 0), v("s" + r + 1)), v("s" + r + 2)),
                fsub(fsub(v("s" + r + 1), v("s" + r + 2)), v("s" + r + 3))};
            for (int k = 0; k < cols; k++) {
                Expr oy = add(mul(v("ty"), 2), i(r)), ox = add(mul(tx, 2), i(k));
                Expr value = bias ? fadd(out[k], load(in.get(2), v("oc"))) : out[k];
                Expr at = add(add(mul(add(mul(vn, cout), v("oc")), oh * ow), mul(oy, ow)), ox);
                Expr zAt = zs == null ? null : add(add(add(mul(vn, zs[0]), mul(v("oc"), zs[1])), mul(oy, zs[2])), mul(ox, zs[3]));
                Stmt fin = LowerGraph.finish(c.fusion(), value, in, zAt, y, at);
                body.add(fin instanceof Block b ? LowerGraph.renameLocal(b, "v", "v" + r + k) : fin);
            }
        }
        return block(body);
    }
}
