package tml.langtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tml.ir.graph.Graph;
import tml.optimizer.Model;
import tml.optimizer.PassManager;
import tml.optimizer.lower.LowerGraph;
import tml.optimizer.memory.MemoryPlan;
import tml.optimizer.memory.PlanMemory;
import tml.runtime.Weights;

/**
 * The memory planner on MobileNetV2-0.35@144 (the bar): the arena, scratch included, is
 * within 5% of the lower bound of layer-by-layer execution (the largest inputs + output of one
 * kernel), for the host's tiled schedules (8 lanes, with padded-input scratch) and for Cortex-M
 * (1 lane), and the planned program addresses exactly that arena.
 */
class MemoryPlanBoundTest {
    @Test
    void mobileNetV2ArenaIsWithinFivePercentOfTheLayerByLayerBound() {
        Graph g = StdlibTest.elaborate("stdlib/models/mobilenet_v2.tml", "MobileNetV2", Map.of("width", "0.35", "resolution", "144"));
        Model m = PassManager.forLevel(3, "host").run(new Model(g, Weights.initialize(g, 1)));
        for (int width : List.of(8, 1)) {
            MemoryPlan plan = PlanMemory.plan(LowerGraph.lower(m.graph(), new LowerGraph.Options(width)));
            String where = "width " + width + ": arena " + plan.arenaBytes() + ", bound " + plan.pairLowerBound();
            assertEquals(List.of(), PlanMemory.check(plan.program()), where);
            assertEquals(plan.arenaBytes(), plan.program().arenaBytes(), where);
            assertEquals(1_244_160, plan.pairLowerBound(), where);
            assertTrue(plan.arenaBytes() <= plan.pairLowerBound() * 1.05, where);
            assertEquals(plan.arenaBytes(), plan.activationBytes() + plan.scratchBytes(), where);
        }
    }
}
