package tml.runtime.quantum.train;

import java.util.List;
import java.util.Locale;

/**
 * A training curve as a self-contained SVG: training and test loss (left axis, from 0) and training,
 * test and noisy test accuracy (right axis, from the lowest accuracy rounded down to a tenth, to 1)
 * per epoch, with the legend under the plot.
 */
public final class CurveSvg {
    private static final int W = 640, H = 400, L = 60, R = 60, T = 40, B = 90;

    private CurveSvg() {}

    public static String render(String title, List<EpochStats> history) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(W / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">").append(escape(title)).append("</text>\n");
        int epochs = history.size();
        double maxLoss = 0;
        for (EpochStats e : history) {
            if (Double.isFinite(e.trainLoss())) maxLoss = Math.max(maxLoss, e.trainLoss());
            if (Double.isFinite(e.testLoss())) maxLoss = Math.max(maxLoss, e.testLoss());
        }
        maxLoss = maxLoss <= 0 ? 1 : niceCeil(maxLoss);
        double minAcc = 1;
        for (EpochStats e : history) {
            for (double a : new double[] {e.trainAccuracy(), e.testAccuracy(), e.noisyTestAccuracy()}) if (Double.isFinite(a)) minAcc = Math.min(minAcc, a);
        }
        double accLo = Math.max(0, Math.min(0.9, Math.floor(minAcc * 10) / 10));
        // axes and grid
        s.append(line(L, T, L, H - B, "#000")).append(line(L, H - B, W - R, H - B, "#000")).append(line(W - R, T, W - R, H - B, "#000"));
        for (int i = 0; i <= 5; i++) {
            double f = i / 5.0;
            double y = H - B - f * (H - T - B);
            s.append(line(L, y, W - R, y, "#ddd"));
            s.append(text(L - 6, y + 4, fmt(f * maxLoss), "end")).append(text(W - R + 6, y + 4, fmt(accLo + f * (1 - accLo)), "start"));
        }
        for (int e = 1; e <= epochs; e++) s.append(text(x(e, epochs), H - B + 16, Integer.toString(history.get(e - 1).epoch()), "middle"));
        s.append(text(W / 2.0, H - B + 34, "epoch", "middle"));
        s.append("<text x=\"16\" y=\"").append(H / 2).append("\" transform=\"rotate(-90 16 ").append(H / 2).append(")\" text-anchor=\"middle\">loss</text>\n");
        s.append("<text x=\"").append(W - 14).append("\" y=\"").append(H / 2).append("\" transform=\"rotate(90 ").append(W - 14).append(' ').append(H / 2)
                .append(")\" text-anchor=\"middle\">accuracy</text>\n");
        series(s, history, 0, maxLoss, 0, "#d62728", "train loss", 0);
        series(s, history, 0, maxLoss, 1, "#ff7f0e", "test loss", 1);
        series(s, history, accLo, 1, 2, "#1f77b4", "train accuracy", 2);
        series(s, history, accLo, 1, 3, "#2ca02c", "test accuracy", 3);
        series(s, history, accLo, 1, 4, "#9467bd", "noisy test accuracy", 4);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void series(StringBuilder s, List<EpochStats> h, double lo, double hi, int which, String color, String label, int legendSlot) {
        StringBuilder pts = new StringBuilder();
        int count = 0;
        for (int i = 0; i < h.size(); i++) {
            EpochStats e = h.get(i);
            double v = switch (which) {
                case 0 -> e.trainLoss();
                case 1 -> e.testLoss();
                case 2 -> e.trainAccuracy();
                case 3 -> e.testAccuracy();
                default -> e.noisyTestAccuracy();
            };
            if (!Double.isFinite(v)) continue;
            double y = H - B - Math.max(0, Math.min(1, (v - lo) / (hi - lo))) * (H - T - B);
            pts.append(fmt(x(i + 1, h.size()))).append(',').append(fmt(y)).append(' ');
            s.append("<circle cx=\"").append(fmt(x(i + 1, h.size()))).append("\" cy=\"").append(fmt(y)).append("\" r=\"2.5\" fill=\"").append(color).append("\"/>\n");
            count++;
        }
        if (count == 0) return;
        s.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"").append(pts.toString().strip()).append("\"/>\n");
        double lx = L + (legendSlot % 3) * 175, ly = H - 32 + (legendSlot / 3) * 18;
        s.append(line(lx, ly, lx + 20, ly, color).replace("stroke-width=\"1\"", "stroke-width=\"2\""));
        s.append(text(lx + 26, ly + 4, label, "start"));
    }

    private static double x(int epoch, int epochs) {
        return epochs <= 1 ? (L + W - R) / 2.0 : L + 20 + (epoch - 1) * (W - L - R - 40.0) / (epochs - 1);
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }

    private static String line(double x1, double y1, double x2, double y2, String color) {
        return "<line x1=\"" + fmt(x1) + "\" y1=\"" + fmt(y1) + "\" x2=\"" + fmt(x2) + "\" y2=\"" + fmt(y2) + "\" stroke=\"" + color + "\" stroke-width=\"1\"/>\n";
    }

    private static String text(double x, double y, String t, String anchor) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" text-anchor=\"" + anchor + "\">" + escape(t) + "</text>\n";
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static String escape(String t) { return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }
}
