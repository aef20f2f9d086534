package tml.runtime;

import static org.junit.jupiter.api.Assertions.*;
import static tml.runtime.OpTesting.*;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Op.ChannelShuffle;
import tml.ir.graph.Op.Concat;
import tml.ir.graph.Op.Dropout;
import tml.ir.graph.Op.Flatten;
import tml.ir.graph.Op.Pad;
import tml.ir.graph.Op.Reshape;
import tml.ir.graph.Op.Softmax;

class LayoutOpsTest {
    @Test void concatAlongChannels() {
        Tensor a = t(List.of(1, 2, 1, 2), 1, 2, 3, 4), b = t(List.of(1, 1, 1, 2), 5, 6);
        assertTensor(List.of(1, 3, 1, 2), new float[] {1, 2, 3, 4, 5, 6}, apply(new Concat(1), a, b));
    }

    @Test void concatAlongTheLastAxisInterleavesRows() {
        Tensor a = t(List.of(2, 2), 1, 2, 3, 4), b = t(List.of(2, 1), 5, 6);
        assertTensor(List.of(2, 3), new float[] {1, 2, 5, 3, 4, 6}, apply(new Concat(-1), a, b));
        assertTensor(List.of(4, 2), new float[] {1, 2, 3, 4, 1, 2, 3, 4}, apply(new Concat(0), a, a));
    }

    @Test void channelShuffleTransposesGroups() {
        Tensor x = iota(0, 1, 6, 1, 1);
        assertTensor(List.of(1, 6, 1, 1), new float[] {0, 3, 1, 4, 2, 5}, apply(new ChannelShuffle(2), x));
        assertTensor(List.of(1, 6, 1, 1), new float[] {0, 2, 4, 1, 3, 5}, apply(new ChannelShuffle(3), x));
    }

    @Test void channelShuffleMovesWholePlanesPerImage() {
        Tensor x = iota(0, 2, 4, 1, 2); // channel k of image n holds 8n + 2k, 8n + 2k + 1
        // groups 2: channel order 0, 2, 1, 3
        assertTensor(List.of(2, 4, 1, 2), new float[] {0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15},
                apply(new ChannelShuffle(2), x));
    }

    @Test void padBeforeAndAfterEachAxis() {
        Tensor x = t(List.of(2, 2), 1, 2, 3, 4);
        assertTensor(List.of(3, 4), new float[] {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9},
                apply(new Pad(ImmutableList.of(1, 0, 0, 2), 9), x));
    }

    @Test void negativePadCrops() {
        Tensor x = t(List.of(2, 2), 1, 2, 3, 4);
        assertTensor(List.of(2, 1), new float[] {2, 4}, apply(new Pad(ImmutableList.of(0, 0, -1, 0), 0), x));
    }

    @Test void reshapeAndFlattenKeepRowMajorOrder() {
        Tensor x = iota(0, 2, 3, 4);
        Tensor r = apply(new Reshape(ImmutableList.of(4, 6)), x);
        assertEquals(List.of(4, 6), r.shape());
        assertEquals(13f, r.get(2, 1));
        Tensor f = apply(new Flatten(1), x);
        assertEquals(List.of(2, 12), f.shape());
        assertEquals(17f, f.get(1, 5));
        assertEquals(List.of(24), apply(new Flatten(0), x).shape());
    }

    @Test void dropoutIsTheIdentity() {
        Tensor x = Tensor.vector(1, 2, 3);
        assertEquals(x, apply(new Dropout(0.5), x));
    }

    @Test void softmaxLastAxis() {
        assertTensor(List.of(1, 3), new float[] {0.09003057f, 0.24472847f, 0.66524096f},
                apply(new Softmax(-1), t(List.of(1, 3), 1, 2, 3)));
    }

    @Test void softmaxIsStableForLargeInputs() {
        assertTensor(List.of(2), new float[] {0.5f, 0.5f}, apply(new Softmax(0), Tensor.vector(1000, 1000)));
        assertTensor(List.of(2), new float[] {1, 0}, apply(new Softmax(0), Tensor.vector(1000, -1000)));
    }

    @Test void softmaxAlongTheFirstAxis() {
        Tensor x = t(List.of(2, 2), 0, 0, (float) Math.log(3), 0);
        assertTensor(List.of(2, 2), new float[] {0.25f, 0.5f, 0.75f, 0.5f}, apply(new Softmax(0), x));
    }
}
