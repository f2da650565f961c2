package dev.llmworker.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmworker.support.SqsFixture;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store through the AWS SDK against a real S3-protocol server (S3Proxy on a directory), as in production. */
class ObjectStoreTest {
  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private EmbeddedS3 server;
  private ObjectStore store;

  @AfterEach
  void tearDown() throws Exception {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
    SqsFixture.await(vertx.close());
  }

  @Test
  @DisplayName("a 6 MB file goes in from disk and comes back byte for byte; records, listing by prefix, delete, "
      + "and a missing key reads as null")
  void roundTrip() throws Exception {
    server = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"));
    store = ObjectStore.open(server.endpoint(), "us-east-1", "llm-worker", "jobs", vertx.getOrCreateContext());
    SqsFixture.await(store.ensureBucket(true));
    SqsFixture.await(store.ensureBucket(true)); // a second time: it exists

    byte[] content = new byte[6_000_000];
    new Random(7).nextBytes(content);
    Path in = Files.write(dir.resolve("in.bin"), content);
    SqsFixture.await(store.putFile("files/f-1/content", in, "application/jsonl"));
    SqsFixture.await(store.putBytes("files/f-1.json", Buffer.buffer("{\"id\":\"f-1\"}"), "application/json"));
    SqsFixture.await(store.putBytes("batches/b-1.json", Buffer.buffer("{}"), "application/json"));

    Path out = dir.resolve("out.bin");
    SqsFixture.await(store.download("files/f-1/content", out));
    assertArrayEquals(content, Files.readAllBytes(out));
    assertEquals("{\"id\":\"f-1\"}", SqsFixture.await(store.getBytes("files/f-1.json")).toString());
    assertNull(SqsFixture.await(store.getBytes("files/nope.json")));
    List<ObjectStore.Entry> files = SqsFixture.await(store.list("files/"));
    assertEquals(List.of(new ObjectStore.Entry("files/f-1.json", 12), new ObjectStore.Entry("files/f-1/content",
        content.length)), files);
    assertTrue(Files.walk(dir.resolve("s3")).anyMatch(p -> p.toString().endsWith("content")),
        "the objects are files on the store's disk");

    SqsFixture.await(store.delete("files/f-1/content"));
    assertEquals(1, SqsFixture.await(store.list("files/")).size());
    assertTrue(ObjectStore.notFound(SqsFixture.awaitFailure(store.download("files/f-1/content",
        dir.resolve("gone.bin")))));
  }

  @Test
  @DisplayName("a bucket that does not exist on a real store is an error naming it, not created behind the user's back")
  void missingBucket() throws Exception {
    server = EmbeddedS3.start("127.0.0.1", 0, dir.resolve("s3"));
    store = ObjectStore.open(server.endpoint(), "us-east-1", "no-such-bucket", "", vertx.getOrCreateContext());
    Throwable e = SqsFixture.awaitFailure(store.ensureBucket(false));
    assertTrue(e.getMessage().contains("no-such-bucket"), e.getMessage());
  }
}
