package org.periodicbackups.destination.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.periodicbackups.api.destination.BackupFileNotFoundException;
import org.periodicbackups.api.destination.ConditionalWrites;
import org.periodicbackups.api.destination.StoredNames;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The conditional writes of an {@link S3Destination}; see {@link
 * S3Destination#conditionalWrites()}.
 */
final class S3ConditionalWrites implements ConditionalWrites {
  private final S3Client s3;
  private final S3DestinationConfig config;
  private final S3Errors errors;

  S3ConditionalWrites(S3Client s3, S3DestinationConfig config, S3Errors errors) {
    this.s3 = s3;
    this.config = config;
    this.errors = errors;
  }

  private String keyOf(String name) {
    return config.prefix() + StoredNames.requireSafe(name);
  }

  @Override
  public Optional<Version> read(String name) throws IOException {
    String key = keyOf(name);
    try {
      ResponseBytes<GetObjectResponse> object =
          s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key));
      return Optional.of(new Version(object.asByteArray(), object.response().eTag()));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (SdkException e) {
      IOException translated = errors.translate("read", name, key, e);
      if (translated instanceof BackupFileNotFoundException) {
        return Optional.empty();
      }
      throw translated;
    }
  }

  @Override
  public Optional<Version> createIfAbsent(String name, byte[] content) throws IOException {
    return put(name, content, b -> b.ifNoneMatch("*"));
  }

  @Override
  public Optional<Version> replaceIfUnchanged(String name, String expectedTag, byte[] content)
      throws IOException {
    requireNonNull(expectedTag, "expectedTag is null");
    return put(name, content, b -> b.ifMatch(expectedTag));
  }

  private Optional<Version> put(
      String name, byte[] content, Consumer<PutObjectRequest.Builder> condition)
      throws IOException {
    ConditionalWrites.requireSmall(name, content);
    String key = keyOf(name);
    PutObjectRequest.Builder request =
        PutObjectRequest.builder()
            .bucket(config.bucket())
            .key(key)
            .serverSideEncryption(config.serverSideEncryption())
            .ssekmsKeyId(config.kmsKeyId());
    condition.accept(request);
    try {
      String etag = s3.putObject(request.build(), RequestBody.fromBytes(content)).eTag();
      return Optional.of(new Version(content, etag));
    } catch (S3Exception e) {
      if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
        return Optional.empty(); // the condition failed, or raced with another writer
      }
      throw errors.translate("conditional write", name, key, e);
    } catch (SdkException e) {
      throw errors.translate("conditional write", name, key, e);
    }
  }
}
