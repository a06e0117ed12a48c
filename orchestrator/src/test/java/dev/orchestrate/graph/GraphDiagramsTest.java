package dev.orchestrate.graph;

import static dev.orchestrate.graph.Members.ROOT;
import static dev.orchestrate.graph.Members.graph;
import static dev.orchestrate.graph.Members.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The graph as diagram sources: Graphviz DOT and Mermaid. */
class GraphDiagramsTest {

    private static BuildGraph sample() {
        return graph(
                member("beta", "2.0", "alpha>=0.1", "house-backend"),
                member("alpha", "0.1", "house-backend>=1"),
                member("house-backend", "1.2.0"),
                member("gamma", null));
    }

    @Test
    void dotHasANodePerMemberAndAnEdgePerRequirement() {
        assertEquals("""
                // orchestrate graph: `a -> b` means a needs the wheel of b at build time
                digraph orchestrate {
                  rankdir=RL;
                  node [shape=box, style="rounded,filled", fillcolor="#f6f8fa", fontname="Helvetica"];
                  edge [color="#57606a"];
                  "gamma" [label="gamma (dynamic version)", tooltip="packages/gamma"];
                  "house-backend" [label="house-backend 1.2.0", tooltip="packages/house-backend"];
                  "alpha" [label="alpha 0.1", tooltip="packages/alpha"];
                  "beta" [label="beta 2.0", tooltip="packages/beta"];
                  "alpha" -> "house-backend" [tooltip="house-backend>=1"];
                  "beta" -> "alpha" [tooltip="alpha>=0.1"];
                  "beta" -> "house-backend" [tooltip="house-backend"];
                }
                """, GraphFormat.DOT.render(sample(), ROOT));
    }

    @Test
    void mermaidUsesSafeIdsAndQuotedLabels() {
        assertEquals("""
                %% orchestrate graph: `a --> b` means a needs the wheel of b at build time
                flowchart RL
                  n0["gamma (dynamic version)"]
                  n1["house-backend 1.2.0"]
                  n2["alpha 0.1"]
                  n3["beta 2.0"]
                  n2 --> n1
                  n3 --> n2
                  n3 --> n1
                """, GraphFormat.MERMAID.render(sample(), ROOT));
    }

    @Test
    void cyclesAreDrawnAndNamedInComments() {
        BuildGraph cyclic = graph(member("a", "1", "b"), member("b", "1", "a"));
        String dot = GraphFormat.DOT.render(cyclic, ROOT);
        assertTrue(dot.contains("\"a\" -> \"b\"") && dot.contains("\"b\" -> \"a\""), dot);
        assertTrue(dot.contains("// ! build requirement cycle: `a` -> `b` -> `a`"), dot);
        assertTrue(GraphFormat.MERMAID.render(cyclic, ROOT).contains("%% ! build requirement cycle"));
    }

    @Test
    void formatsAreNamedInAnyCase() {
        assertEquals(GraphFormat.DOT, GraphFormat.fromName("DOT"));
        assertEquals(GraphFormat.MERMAID, GraphFormat.fromName("mermaid"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphFormat.fromName("svg"));
        assertTrue(e.getMessage().contains("`dot`, `mermaid`"), e.getMessage());
    }
}
