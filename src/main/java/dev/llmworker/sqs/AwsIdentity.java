package dev.llmworker.sqs;

import dev.llmworker.net.Hosts;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;

/** The AWS identity llm-worker uses for SQS and Bedrock: the SDK's default chain. */
public final class AwsIdentity {
  private AwsIdentity() {}

  /**
   * AWS's default chain; for a local endpoint (ElasticMQ, LocalStack, the simulator) that needs no real identity,
   * dummy credentials when the chain finds none, and no instance-metadata lookups.
   */
  public static AwsCredentialsProvider forEndpoint(String endpoint) {
    if (endpoint.isEmpty() || !Hosts.isLoopback(Hosts.hostOf(endpoint))) {
      return DefaultCredentialsProvider.builder().build();
    }
    return AwsCredentialsProviderChain.builder().credentialsProviders(
        EnvironmentVariableCredentialsProvider.create(),
        SystemPropertyCredentialsProvider.create(),
        ProfileCredentialsProvider.create(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))).build();
  }
}
