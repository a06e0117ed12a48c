package dev.orchestrate.graph;

import static dev.orchestrate.graph.Members.ROOT;
import static dev.orchestrate.graph.Members.graph;
import static dev.orchestrate.graph.Members.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphFormatTest {

    private static BuildGraph sample() {
        return graph(
                member("beta", "2.0", "alpha>=0.1", "house-backend"),
                member("alpha", "0.1", "house-backend>=1"),
                member("house-backend", "1.2.0"),
                member("gamma", null));
    }

    @Test
    void textListsMembersInBuildOrderWithWhatTheyNeed() {
        String text = GraphFormat.TEXT.render(sample(), ROOT);
        assertEquals("""
                # 4 members, 3 edges, 3 levels; in build order, `->` what each needs built first
                gamma (dynamic version)  [leaf, root]
                house-backend 1.2.0      [leaf]
                alpha 0.1               -> house-backend
                beta 2.0                -> alpha, house-backend  [root]
                """, text);
    }

    @Test
    void textOfACyclicGraphNamesTheCycle() {
        String text = GraphFormat.TEXT.render(graph(member("a", "1", "b"), member("b", "1", "a")), ROOT);
        assertTrue(text.contains("# cycle: a -> b -> a"), text);
        assertTrue(text.contains("! build requirement cycle: `a` -> `b` -> `a`"), text);
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(GraphFormat.JSON.render(sample(), ROOT));
        assertEquals("orchestrate.graph/1", doc.get("schema").asText());
        assertEquals(List.of("gamma", "house-backend", "alpha", "beta"), texts(doc.get("order")));
        JsonNode beta = doc.get("members").get(3);
        assertEquals("beta", beta.get("name").asText());
        assertEquals("2.0", beta.get("version").asText());
        assertEquals("packages/beta", beta.get("path").asText());
        assertEquals("backend", beta.get("backend").asText());
        assertEquals(List.of("alpha>=0.1", "house-backend"), texts(beta.get("requires")));
        assertEquals(List.of("alpha", "house-backend"), texts(beta.get("dependsOn")));
        assertTrue(doc.get("members").get(0).get("version").isNull());
        assertEquals(3, doc.get("edges").size());
        JsonNode edge = doc.get("edges").get(0);
        assertEquals(List.of("alpha", "house-backend", "house-backend>=1"),
                List.of(edge.get("from").asText(), edge.get("to").asText(), edge.get("requirement").asText()));
        assertTrue(doc.get("cycle").isNull());
        assertEquals(0, doc.get("problems").size());
    }

    @Test
    void jsonOfACyclicGraphHasTheCycleAndNoOrder() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(
                GraphFormat.JSON.render(graph(member("a", "1", "a")), ROOT));
        assertEquals(List.of("a", "a"), texts(doc.get("cycle")));
        assertEquals(0, doc.get("order").size());
        assertTrue(doc.get("problems").get(0).get("hint").asText().contains("backend-path"));
    }

    @Test
    void formatsAreChosenByName() {
        assertEquals(GraphFormat.JSON, GraphFormat.fromName("json"));
        assertEquals(GraphFormat.TEXT, GraphFormat.fromName("Text"));
        assertThrows(IllegalArgumentException.class, () -> GraphFormat.fromName("svg"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
