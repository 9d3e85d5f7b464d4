package io.emostream.topology.view;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live page's files over real HTTP: what is packaged is served, and nothing else can be reached. */
class StaticAssetsTest {
    private static LiveHttp http;

    @BeforeAll
    static void start() {
        http = new LiveHttp(LiveViewSettings.defaults());
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void everyPackagedFileIsServedWithItsTypeAndTheChartLibraryFromNpmIsAmongThem() throws IOException {
        Set<String> paths = new StaticAssets().paths();
        assertTrue(paths.containsAll(List.of("/", "/index.html", "/live.js", "/uPlot.iife.min.js")),
                paths::toString);
        for (String path : paths) {
            String answer = http.answer("GET", path);
            assertTrue(answer.startsWith("HTTP/1.1 200"), path + ": " + answer.lines().findFirst().orElse(""));
            assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: text/"), path);
        }
        assertTrue(http.answer("GET", "/").contains("<title>emostream live</title>"));
        assertTrue(http.answer("GET", "/uPlot.iife.min.js").contains("uPlot"), "the npm package's dist file");
        assertTrue(http.answer("GET", "/?camera=cam-1").startsWith("HTTP/1.1 200"), "a camera's page");
    }

    @Test
    void pathsOutsideThePackagedNamesAreNotFoundHoweverTheyAreSpelt() throws IOException {
        for (String path : List.of("/../pom.xml", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
                "/static/index.html", "/io/emostream/topology/view/LiveView.class", "/LiveView.class",
                "/index.html/..", "/./index.html", "//index.html", "/index.html%00", "/INDEX.HTML",
                "/live.js/../../../../etc/passwd", "/node_modules/uplot/package.json", "/web/package.json")) {
            String status = http.answer("GET", path).lines().findFirst().orElse("");
            assertEquals("HTTP/1.1 404 Not Found", status, path);
        }
    }

    @Test
    void onlyGetAndHeadAreServed() throws IOException {
        assertTrue(http.answer("POST", "/index.html").startsWith("HTTP/1.1 405"));
        assertTrue(http.answer("DELETE", "/").startsWith("HTTP/1.1 405"));
        assertTrue(http.answer("HEAD", "/").startsWith("HTTP/1.1 200"));
    }
}
