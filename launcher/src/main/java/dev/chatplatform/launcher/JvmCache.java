package dev.chatplatform.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What makes a service JVM start faster the second time: the service's jar extracted once (Spring Boot's
 * {@code -Djarmode=tools extract}: the application jar beside its libraries, which the JVM's class caches can
 * hold, unlike classes read from a jar nested in a jar) and a class cache of its start-up, written by the JVM
 * itself when the service stops after its first run. On JDK 25+ that is an AOT cache ({@code -XX:AOTCacheOutput}
 * on the first run, {@code -XX:AOTCache} afterwards: classes loaded and linked ahead of time); on JDK 21-24 a
 * dynamic class-data-sharing archive ({@code -XX:+AutoCreateSharedArchive}).
 *
 * <p>Everything lives in {@code <module>/target/jvm-cache/<key>/}, where the key digests the jar's contents (the
 * names, CRCs and sizes in its central directory, so a rebuilt but unchanged jar keeps its cache), the JDK's
 * version and the JVM options: a new build, JDK or option gets a new folder (older ones are deleted), never a stale
 * cache. A cache the JVM still refuses (a file cut short by a kill while it was written) only costs the speed-up:
 * the JVM warns in the service's log and starts without it.
 */
final class JvmCache {

    private static final String AOT_FILE = "app.aot";
    private static final String CDS_FILE = "app.jsa";

    private JvmCache() {
    }

    /**
     * The JVM arguments that run {@code jar} with its cache (after the JVM options), extracting the jar first when
     * this build of it has not been extracted yet.
     */
    static List<String> launchArguments(String module, Path jar, List<String> jvmOptions) {
        Path root = jar.getParent().resolve("jvm-cache");
        Path dir = root.resolve(key(jar, jvmOptions));
        Path app = dir.resolve(module + ".jar");
        if (!Files.isRegularFile(app)) {
            extract(jar, root, dir);
        }
        List<String> args = new ArrayList<>();
        if (Runtime.version().feature() >= 25) {
            Path aot = dir.resolve(AOT_FILE);
            args.add(Files.isRegularFile(aot) ? "-XX:AOTCache=" + aot : "-XX:AOTCacheOutput=" + aot);
        } else {
            args.add("-XX:SharedArchiveFile=" + dir.resolve(CDS_FILE));
            args.add("-XX:+AutoCreateSharedArchive");
        }
        args.add("-jar");
        args.add(app.toString());
        return args;
    }

    /** Whether a JVM started with these arguments writes its cache when it exits (which takes it a while). */
    static boolean writesCacheAtExit(List<String> command) {
        return command.stream().anyMatch(a -> a.startsWith("-XX:AOTCacheOutput=")) || command.stream()
                .filter(a -> a.startsWith("-XX:SharedArchiveFile="))
                .anyMatch(a -> !Files.isRegularFile(Path.of(a.substring(a.indexOf('=') + 1))));
    }

    /** The cache folder's name for this jar's contents, this JDK and these JVM options. */
    static String key(Path jar, List<String> jvmOptions) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((Runtime.version() + "\n" + String.join(" ", jvmOptions) + "\n").getBytes(StandardCharsets.UTF_8));
            for (ZipEntry entry : zip.stream().toList()) {
                digest.update((entry.getName() + ' ' + entry.getCrc() + ' ' + entry.getSize() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + jar, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extracts into a private folder, then moves it into place, so a concurrent launcher never sees half of it. */
    private static void extract(Path jar, Path root, Path dir) {
        Path staging = root.resolve(dir.getFileName() + ".extracting-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(root);
            deleteTree(staging);
            Process tools = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", staging.toString())
                    .redirectErrorStream(true).start();
            String out = new String(tools.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tools.waitFor() != 0) {
                throw new IllegalStateException("extracting " + jar + " failed: " + out);
            }
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                deleteTree(staging); // another launcher moved its extraction in first
            }
            try (Stream<Path> older = Files.list(root)) {
                for (Path old : older.filter(p -> !p.equals(dir) && !p.getFileName().toString().contains(".extracting-")).toList()) {
                    deleteTree(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + jar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while extracting " + jar, e);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
