package dev.llmworker.provider;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import java.net.URI;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** Signs a Vert.x request with AWS Signature Version 4 using the AWS SDK's own signer. */
final class SigV4 {
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String service;
  private final String region;

  SigV4(String service, String region) {
    this.service = service;
    this.region = region;
  }

  /** Adds Authorization, X-Amz-Date (and X-Amz-Security-Token for temporary credentials) to {@code request}. */
  HttpRequest<Buffer> sign(HttpRequest<Buffer> request, String absoluteUrl, AwsCredentialsIdentity identity,
      Buffer body) {
    SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(absoluteUrl))
        .putHeader("Content-Type", "application/json");
    byte[] bytes = body.getBytes();
    SignedRequest signed = signer.sign(r -> r
        .identity(identity)
        .request(unsigned.build())
        .payload(ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    signed.request().headers().forEach((name, values) -> {
      if (!"Host".equalsIgnoreCase(name) && !"Content-Type".equalsIgnoreCase(name)) {
        request.putHeader(name, values.get(0));
      }
    });
    return request;
  }
}
