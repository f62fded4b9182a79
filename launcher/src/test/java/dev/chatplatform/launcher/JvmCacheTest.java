package dev.chatplatform.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class JvmCacheTest {

    private static final List<String> OPTIONS = List.of("-Xmx320m", "-XX:+UseSerialGC");

    @TempDir
    Path dir;

    @Test
    void aRebuiltJarWithTheSameContentsKeepsItsCacheAndAnyChangeGetsANewOne() throws IOException {
        Path jar = jar("a.jar", "version 1");
        String key = JvmCache.key(jar, OPTIONS);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(JvmCache.key(jar("b.jar", "version 1"), OPTIONS)).isEqualTo(key);
        assertThat(JvmCache.key(jar, OPTIONS)).isEqualTo(key);

        assertThat(JvmCache.key(jar("c.jar", "version 2"), OPTIONS)).isNotEqualTo(key);
        assertThat(JvmCache.key(jar, List.of("-Xmx512m", "-XX:+UseSerialGC"))).isNotEqualTo(key);
    }

    @Test
    void theFirstRunWritesTheCacheAndLaterRunsReadIt() throws IOException {
        Path jar = jar("chat-service.jar", "classes");
        Path extracted = dir.resolve("jvm-cache").resolve(JvmCache.key(jar, OPTIONS));
        Files.createDirectories(extracted);
        Files.writeString(extracted.resolve("chat-service.jar"), "extracted before"); // no extraction needed

        List<String> first = JvmCache.launchArguments("chat-service", jar, OPTIONS);
        assertThat(first).endsWith("-jar", extracted.resolve("chat-service.jar").toString());
        assertThat(JvmCache.writesCacheAtExit(first)).isTrue();
        if (Runtime.version().feature() >= 25) {
            assertThat(first).contains("-XX:AOTCacheOutput=" + extracted.resolve("app.aot"));
            Files.writeString(extracted.resolve("app.aot"), "written by the JVM at exit");
        } else {
            assertThat(first).contains("-XX:SharedArchiveFile=" + extracted.resolve("app.jsa"), "-XX:+AutoCreateSharedArchive");
            Files.writeString(extracted.resolve("app.jsa"), "written by the JVM at exit");
        }
        List<String> later = JvmCache.launchArguments("chat-service", jar, OPTIONS);
        assertThat(JvmCache.writesCacheAtExit(later)).isFalse();
        if (Runtime.version().feature() >= 25) {
            assertThat(later).contains("-XX:AOTCache=" + extracted.resolve("app.aot"))
                    .noneMatch(a -> a.startsWith("-XX:AOTCacheOutput"));
        }
    }

    private Path jar(String name, String content) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry entry = new ZipEntry("BOOT-INF/classes/App.class");
            entry.setTime(System.currentTimeMillis()); // a rebuild stamps new times; the key must not depend on them
            zip.putNextEntry(entry);
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
