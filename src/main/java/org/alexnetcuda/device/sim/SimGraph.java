package org.alexnetcuda.device.sim;

import java.util.List;

import org.alexnetcuda.device.Handles.Graph;

/** A simulated CUgraph: the work captured from one stream, in issue order. */
public final class SimGraph implements Graph {
    final SimStreams owner;
    final List<GraphNode> nodes;
    boolean destroyed;

    SimGraph(SimStreams owner, List<GraphNode> nodes) {
        this.owner = owner;
        this.nodes = List.copyOf(nodes);
    }

    /** How many calls were captured. */
    public int nodeCount() {
        return nodes.size();
    }

    /** The captured calls' names, in order. */
    public List<String> calls() {
        return nodes.stream().map(GraphNode::call).toList();
    }

    @Override
    public String toString() {
        return "graph of " + nodes.size() + " nodes";
    }
}
