/**
 * What the AWS destinations (S3, Glacier) share: the client settings of a setup document (region,
 * endpoint, retries, timeouts) and the credentials of a database's settings ({@link
 * org.periodicbackups.aws.AwsClientConfig}), the client builder ({@link
 * org.periodicbackups.aws.AwsClients}), the translation of SDK failures into messages that say what
 * to fix ({@link org.periodicbackups.aws.AwsErrors}) and the sleeper used while polling ({@link
 * org.periodicbackups.aws.Sleeper}).
 */
package org.periodicbackups.aws;
