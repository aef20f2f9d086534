package tml.runtime;

import tml.ir.graph.Graph;
import tml.ir.graph.Hw;
import tml.ir.graph.Op.ActKind;
import tml.ir.graph.Op.Activation;
import tml.ir.graph.Op.BatchNorm;
import tml.ir.graph.Op.BinKind;
import tml.ir.graph.Op.Binary;
import tml.ir.graph.Op.Conv2d;
import tml.ir.graph.Op.Flatten;
import tml.ir.graph.Op.GlobalAvgPool;
import tml.ir.graph.Op.Linear;
import tml.ir.graph.Op.Pool2d;
import tml.ir.graph.Op.PoolKind;
import tml.ir.graph.Pads;
import tml.ir.graph.ParamInit;

/** torchvision's ResNet-18 as a graph with torchvision's parameter names, built by hand for tests. */
final class ResNet18 {
    private ResNet18() {}

    static Graph build(int resolution) {
        TestGraphs g = TestGraphs.named("ResNet18").input("x", 1, 3, resolution, resolution);
        String x = convBn(g, "x", "conv1", "bn1", 3, 64, 7, 2, 3);
        g.node("relu", new Activation(ActKind.RELU), x);
        g.node("maxpool", new Pool2d(PoolKind.MAX, Hw.of(3), Hw.of(2), Pads.symmetric(1, 1), false, true), "relu");
        x = "maxpool";
        int in = 64;
        int[] planes = {64, 128, 256, 512};
        for (int l = 0; l < 4; l++) {
            for (int b = 0; b < 2; b++) {
                String p = "layer" + (l + 1) + "." + b;
                int stride = l > 0 && b == 0 ? 2 : 1;
                String y = convBn(g, x, p + ".conv1", p + ".bn1", in, planes[l], 3, stride, 1);
                g.node(p + ".relu1", new Activation(ActKind.RELU), y);
                y = convBn(g, p + ".relu1", p + ".conv2", p + ".bn2", planes[l], planes[l], 3, 1, 1);
                String shortcut = x;
                if (stride != 1 || in != planes[l]) {
                    shortcut = convBn(g, x, p + ".downsample.0", p + ".downsample.1", in, planes[l], 1, stride, 0);
                }
                g.node(p + ".add", new Binary(BinKind.ADD), y, shortcut);
                g.node(p + ".relu2", new Activation(ActKind.RELU), p + ".add");
                x = p + ".relu2";
                in = planes[l];
            }
        }
        g.node("avgpool", new GlobalAvgPool(), x);
        g.node("flatten", new Flatten(1), "avgpool");
        g.param("fc.weight", new ParamInit.Uniform(1 / Math.sqrt(512)), 1000, 512);
        g.param("fc.bias", new ParamInit.Uniform(1 / Math.sqrt(512)), 1000);
        g.node("fc", new Linear(), "flatten", "fc.weight", "fc.bias");
        return g.output("logits", "fc").build();
    }

    private static String convBn(TestGraphs g, String x, String conv, String bn, int in, int out, int k, int stride, int pad) {
        g.param(conv + ".weight", new ParamInit.Uniform(1 / Math.sqrt(in * k * k)), out, in, k, k);
        g.node(conv, new Conv2d(Hw.of(stride), Pads.symmetric(pad, pad), Hw.of(1), 1), x, conv + ".weight");
        g.param(bn + ".weight", new ParamInit.Constant(1), out);
        g.param(bn + ".bias", new ParamInit.Constant(0), out);
        g.buffer(bn + ".running_mean", new ParamInit.Constant(0), out);
        g.buffer(bn + ".running_var", new ParamInit.Constant(1), out);
        g.node(bn, new BatchNorm(1e-5), conv, bn + ".weight", bn + ".bias", bn + ".running_mean", bn + ".running_var");
        return bn;
    }
}
