package io.emostream.cli.e2e;

import io.emostream.models.Predictors;
import io.emostream.models.runtime.SharedPredictor;
import io.emostream.models.segmentation.SegmentationResult;
import io.emostream.topology.EmoStreamConfig;
import io.emostream.topology.EmoStreams;
import io.emostream.topology.analytics.CameraStatsWindows;
import io.emostream.topology.analytics.ZoneAnalytics;
import io.emostream.topology.app.EmoStreamApp;
import io.emostream.topology.app.EmoStreamAppConfig;
import io.emostream.topology.app.TopicProvisioner;
import io.emostream.topology.http.HttpSettings;
import io.emostream.topology.ops.Telemetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The live page in a real browser (Debian's chromium, driven by Selenium through chromedriver) against the run
 * application on the embedded broker: two cameras of the shapes video, boxes from the {@link ShapeFixtureDetector}
 * (the disc is a "person", class 0) and masks from the real, untrained EMO-1M DeepLabv3. Screenshots go to
 * {@code target/}, and also to the folder {@code -Dscreenshots=DIR} names (the README's come from there).
 * Skipped where chromium or chromedriver is not installed.
 */
class LivePageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> CAMERAS = List.of("gate-cam", "yard-cam");
    /** Generous: on a busy 2-core machine the pipeline runs far behind the feed. */
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The class colour of class 0 (the disc, "person"): HSV(0, 0.75, 0.95). */
    private static final int[] PERSON_RGB = {242, 61, 61};

    @RegisterExtension
    static final BrokerWithTestModels kafka = new BrokerWithTestModels();
    @TempDir
    static Path dir;
    private static ShapeVideo video;
    private static WebDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "skipped: the browser test "
                + "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        video = ShapeVideo.write(dir, 3.1);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) browser.quit();
    }

    @Test
    void theLivePageShowsEachCamerasFrameWithItsBoxesAndTheCameraPageChartsItsWindows() throws Exception {
        EmoStreamAppConfig config = provision();
        AtomicBoolean feeding = new AtomicBoolean(true);
        try (SharedPredictor<SegmentationResult> segmenter = Predictors.sharedSegmenter(
                Path.of(config.getString(EmoStreamConfig.SEGMENTATION_MODEL)), config.runtimeConfig());
             EmoStreamApp app = app(config, segmenter)) {
            app.start();
            Thread feeder = new Thread(() -> feed(config, feeding), "frames-feeder");
            feeder.start();
            try {
                browser.get("http://127.0.0.1:" + app.httpPort() + "/");
                await("a drawn tile per camera", () -> CAMERAS.stream().allMatch(c -> drawn(c) > 0));
                assertEquals(CAMERAS, browser.findElements(By.cssSelector(".tile")).stream()
                        .map(t -> t.getAttribute("data-camera")).toList());
                assertTrue(browser.findElement(By.id("untrained")).getText().startsWith("UNTRAINED weights"),
                        "the page says plainly that the models are untrained");
                await("the disc's box drawn on its frame", () -> discBoxDrawn(CAMERAS.get(0)));
                int before = updates();
                await("more updates", () -> updates() > before + 2);
                screenshot("live-page.png");

                browser.findElement(By.cssSelector(".tile[data-camera='" + CAMERAS.get(0) + "']")).click();
                await("the camera page's objects chart has points of two windows", () -> Boolean.TRUE.equals(
                        script("const c = window.emoCharts && window.emoCharts.objects; return !!c"
                                + " && c.data[0].length >= 2 && c.data.slice(1).some(s => s.some(v => v > 0));")));
                await("the camera page shows its frame and tracks", () -> updates() > 0
                        && !browser.findElements(By.cssSelector("#tracks tbody tr")).isEmpty());
                screenshot("live-camera-page.png");
            } finally {
                feeding.set(false);
                feeder.join();
            }
        }
    }

    /** One camera config file with a zone and a line for both cameras, 1 s windows with updates. */
    private static EmoStreamAppConfig provision() throws Exception {
        Map<String, String> s = TestApps.settings(kafka.bootstrapServers(), dir, "live", 2);
        s.put(EmoStreamConfig.SEGMENTATION_MODEL, TestModels.settings().get(EmoStreamConfig.SEGMENTATION_MODEL));
        s.put(CameraStatsWindows.WINDOW_SIZE_MS, "1000");
        s.put(CameraStatsWindows.EMIT_UPDATES, "true");
        s.put(HttpSettings.HTTP_PORT, String.valueOf(QueryApiClient.freePort()));
        s.put(HttpSettings.HTTP_BIND_ADDRESS, "127.0.0.1");
        s.put(HttpSettings.HTTP_ADVERTISED_HOST, "127.0.0.1");
        StringBuilder yaml = new StringBuilder("cameras:\n");
        for (String camera : CAMERAS) {
            yaml.append("  ").append(camera).append(":\n")
                    .append("    zones: [{id: lower-half, points: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]]}]\n")
                    .append("    lines: [{id: gate, a: [0.5, 1], b: [0.5, 0]}]\n");
        }
        s.put(ZoneAnalytics.CAMERAS_CONFIG_FILE, Files.writeString(dir.resolve("cameras.yaml"), yaml).toString());
        EmoStreamAppConfig config = new EmoStreamAppConfig(s);
        try (Admin admin = kafka.admin()) {
            TopicProvisioner.ensure(admin, config);
        }
        return config;
    }

    private static EmoStreamApp app(EmoStreamAppConfig config, SharedPredictor<SegmentationResult> segmenter) {
        Telemetry telemetry = Telemetry.start();
        return new EmoStreamApp(config, EmoStreams.withPredictors(new ShapeFixtureDetector(), segmenter,
                config.processingSettings(), telemetry.registry()), telemetry);
    }

    /** Every camera's video, looped, at its 10 frames per second of capture time, until told to stop. */
    private static void feed(EmoStreamConfig config, AtomicBoolean feeding) {
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG,
                0), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; feeding.get(); i++) {
                for (String camera : CAMERAS) {
                    producer.send(new ProducerRecord<>(config.topics().frames(), camera,
                            video.frame(camera, i, start)));
                }
                Thread.sleep(ShapeVideo.FRAME_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether the tile's canvas shows a "person" box in the person's colour at its left edge, around the red disc
     * it was found on: the frame and the boxes drawn over it belong together. Boxes and pixels are read in one
     * script, so both are of the same drawing.
     */
    private static boolean discBoxDrawn(String camera) {
        Object found = script("const t = document.querySelector(`.tile[data-camera='${arguments[0]}']`);"
                + " const boxes = JSON.parse(t.dataset.boxes || '[]');"
                + " const b = boxes.find(b => b.classId === 0); if (!b) return null;"
                + " const ctx = t.querySelector('canvas').getContext('2d');"
                + " const y = Math.round((b.y1 + b.y2) / 2);"
                + " const at = x => Array.from(ctx.getImageData(x, y, 1, 1).data);"
                + " const edge = [-1, 0, 1].map(d => at(Math.round(b.x1) + d));"
                + " const centre = at(Math.round((b.x1 + b.x2) / 2));"
                + " return {edge, centre};", camera);
        if (!(found instanceof Map<?, ?> pixels)) return false;
        boolean edge = ((List<?>) pixels.get("edge")).stream().anyMatch(p -> near((List<?>) p, PERSON_RGB, 12));
        List<?> centre = (List<?>) pixels.get("centre");
        // the disc under the mask overlay: red still dominates
        boolean disc = number(centre, 0) > number(centre, 1) + 40 && number(centre, 0) > number(centre, 2) + 40;
        return edge && disc;
    }

    private static boolean near(List<?> rgba, int[] rgb, int tolerance) {
        for (int i = 0; i < 3; i++) if (Math.abs(number(rgba, i) - rgb[i]) > tolerance) return false;
        return true;
    }

    private static int number(List<?> values, int i) {
        return ((Number) values.get(i)).intValue();
    }

    private static int drawn(String camera) {
        Object n = script("const t = document.querySelector(`.tile[data-camera='${arguments[0]}']`);"
                + " return t ? Number(t.dataset.drawn || 0) : 0;", camera);
        return ((Number) n).intValue();
    }

    private static int updates() {
        return ((Number) script("return Number(document.body.dataset.updates || 0);")).intValue();
    }

    private static Object script(String js, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(js, args);
    }

    private static void await(String what, BooleanSupplier condition) {
        new WebDriverWait(browser, WAIT).withMessage(what).until(b -> condition.getAsBoolean());
    }

    /** Into target/, and into the folder of -Dscreenshots when set. */
    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Files.copy(shot.toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
        String folder = System.getProperty("screenshots");
        if (folder != null && !folder.isBlank()) {
            Files.copy(target, Files.createDirectories(Path.of(folder)).resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
