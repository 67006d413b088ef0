package org.alexnetcuda.device.sim;

import java.util.List;

import org.alexnetcuda.device.Handles.GraphExec;

/**
 * A simulated CUgraphExec: a snapshot of the graph's nodes at instantiation, so destroying the graph afterwards
 * does not affect it (as in CUDA).
 */
public final class SimGraphExec implements GraphExec {
    final SimStreams owner;
    final List<GraphNode> nodes;
    boolean destroyed;

    SimGraphExec(SimStreams owner, List<GraphNode> nodes) {
        this.owner = owner;
        this.nodes = nodes;
    }

    public int nodeCount() {
        return nodes.size();
    }

    @Override
    public String toString() {
        return "graph exec of " + nodes.size() + " nodes";
    }
}
