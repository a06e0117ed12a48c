package dev.orchestrate.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchestrate.workspace.Member;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;

/** How {@code orchestrate graph} prints a {@link BuildGraph}. Rendering decides nothing. */
public enum GraphFormat {

    /**
     * One line per member in build order: name, version, {@code -> } what it needs; {@code [leaf]}
     * marks members that need no other member, {@code [root]} those no other member needs.
     */
    TEXT {
        @Override
        public String render(BuildGraph graph, Path root) {
            StringBuilder out = new StringBuilder();
            Optional<List<String>> cycle = graph.findCycle();
            List<String> order = order(graph, cycle);
            out.append("# ").append(order.size()).append(order.size() == 1 ? " member, " : " members, ")
                    .append(graph.edges().size()).append(graph.edges().size() == 1 ? " edge" : " edges");
            if (cycle.isEmpty() && !order.isEmpty()) {
                int levels = graph.levels().size();
                out.append(", ").append(levels).append(levels == 1 ? " level" : " levels");
            }
            out.append("; in build order, `->` what each needs built first\n");
            cycle.ifPresent(c -> out.append("# cycle: ").append(String.join(" -> ", c))
                    .append(" (no build order; members listed by name)\n"));
            int width = order.stream().mapToInt(name -> label(graph, name).length()).max().orElse(0);
            for (String name : order) {
                String label = label(graph, name);
                StringBuilder line = new StringBuilder(label);
                SortedSet<String> needs = graph.dependenciesOf(name);
                if (!needs.isEmpty()) {
                    line.append(" ".repeat(width - label.length())).append(" -> ").append(String.join(", ", needs));
                }
                boolean leaf = needs.isEmpty();
                boolean top = graph.dependentsOf(name).isEmpty();
                if (leaf || top) {
                    if (needs.isEmpty()) {
                        line.append(" ".repeat(width - label.length()));
                    }
                    line.append("  [").append(leaf && top ? "leaf, root" : leaf ? "leaf" : "root").append(']');
                }
                out.append(line).append('\n');
            }
            for (GraphProblem problem : graph.problems()) {
                out.append("! ").append(problem.message()).append('\n');
            }
            return out.toString();
        }
    },

    /**
     * {@code {"schema":"orchestrate.graph/1","members":[...],"edges":[...],"order":[...],
     * "cycle":[...]|null,"problems":[...]}}; members in build order, paths relative to the root.
     */
    JSON {
        @Override
        public String render(BuildGraph graph, Path root) {
            ObjectNode doc = Json.MAPPER.createObjectNode();
            doc.put("schema", SCHEMA);
            Optional<List<String>> cycle = graph.findCycle();
            ArrayNode members = doc.putArray("members");
            for (String name : order(graph, cycle)) {
                Member member = graph.member(name).orElseThrow();
                ObjectNode node = members.addObject();
                node.put("name", member.normalizedName());
                node.put("version", member.version().orElse(null));
                node.put("path", relativePath(root, member.dir()));
                node.put("backend", member.buildSystem().backend());
                ArrayNode requires = node.putArray("requires");
                member.buildSystem().requires().forEach(requires::add);
                ArrayNode dependsOn = node.putArray("dependsOn");
                graph.dependenciesOf(name).forEach(dependsOn::add);
            }
            ArrayNode edges = doc.putArray("edges");
            for (Edge edge : graph.edges()) {
                edges.addObject().put("from", edge.from()).put("to", edge.to()).put("requirement", edge.requirement());
            }
            ArrayNode order = doc.putArray("order");
            if (cycle.isEmpty()) {
                graph.topologicalOrder().forEach(order::add);
                doc.putNull("cycle");
            } else {
                cycle.get().forEach(doc.putArray("cycle")::add);
            }
            ArrayNode problems = doc.putArray("problems");
            for (GraphProblem problem : graph.problems()) {
                problems.addObject().put("member", problem.member()).put("message", problem.message())
                        .put("hint", problem.hint());
            }
            try {
                return Json.MAPPER.writeValueAsString(doc) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a tree of plain JSON nodes", e);
            }
        }
    },

    /**
     * Graphviz: {@code dot -Tsvg}. {@code a -> b} means {@code a} needs the wheel of {@code b};
     * laid out right to left, so that what is built first is on the left.
     */
    DOT {
        @Override
        public String render(BuildGraph graph, Path root) {
            StringBuilder out = new StringBuilder();
            out.append("// orchestrate graph: `a -> b` means a needs the wheel of b at build time\n");
            out.append("digraph orchestrate {\n  rankdir=RL;\n");
            out.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f6f8fa\", fontname=\"Helvetica\"];\n");
            out.append("  edge [color=\"#57606a\"];\n");
            for (String name : order(graph, graph.findCycle())) {
                out.append("  ").append(dotId(name)).append(" [label=").append(dotId(label(graph, name)))
                        .append(", tooltip=").append(dotId(relativePath(root, graph.member(name).orElseThrow().dir())))
                        .append("];\n");
            }
            for (Edge edge : graph.edges()) {
                out.append("  ").append(dotId(edge.from())).append(" -> ").append(dotId(edge.to()))
                        .append(" [tooltip=").append(dotId(edge.requirement())).append("];\n");
            }
            for (GraphProblem problem : graph.problems()) {
                out.append("  // ! ").append(problem.message().replace("\n", " ")).append('\n');
            }
            return out.append("}\n").toString();
        }
    },

    /** Mermaid ({@code flowchart}), which GitHub renders in Markdown; arrows as for {@link #DOT}. */
    MERMAID {
        @Override
        public String render(BuildGraph graph, Path root) {
            StringBuilder out = new StringBuilder();
            out.append("%% orchestrate graph: `a --> b` means a needs the wheel of b at build time\n");
            out.append("flowchart RL\n");
            List<String> order = order(graph, graph.findCycle());
            for (int i = 0; i < order.size(); i++) {
                out.append("  n").append(i).append("[\"").append(mermaidText(label(graph, order.get(i))))
                        .append("\"]\n");
            }
            for (Edge edge : graph.edges()) {
                out.append("  n").append(order.indexOf(edge.from())).append(" --> n")
                        .append(order.indexOf(edge.to())).append('\n');
            }
            for (GraphProblem problem : graph.problems()) {
                out.append("  %% ! ").append(problem.message().replace("\n", " ")).append('\n');
            }
            return out.toString();
        }
    };

    /** The value of {@code "schema"} in the JSON form; bumped when the shape changes. */
    public static final String SCHEMA = "orchestrate.graph/1";

    // In a holder so that the text form never loads Jackson.
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * The graph as text, member paths relative to the workspace {@code root}.
     */
    public abstract String render(BuildGraph graph, Path root);

    /** {@code text}, {@code json}, {@code dot} or {@code mermaid}, any case. */
    public static GraphFormat fromName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown graph format `" + name + "`; expected `text`, `json`, `dot`, `mermaid` or `html`", e);
        }
    }

    private static List<String> order(BuildGraph graph, Optional<List<String>> cycle) {
        return cycle.isEmpty() ? graph.topologicalOrder() : List.copyOf(graph.names());
    }

    private static String label(BuildGraph graph, String name) {
        Member member = graph.member(name).orElseThrow();
        return name + " " + member.version().orElse("(dynamic version)");
    }

    /** A DOT double-quoted ID. */
    private static String dotId(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Mermaid label text: quotes and angle brackets as entity codes. */
    private static String mermaidText(String text) {
        return text.replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;");
    }

    private static String relativePath(Path root, Path dir) {
        Path relative = dir.startsWith(root) ? root.relativize(dir) : dir;
        String text = relative.toString().replace('\\', '/');
        return text.isEmpty() ? "." : text;
    }
}
