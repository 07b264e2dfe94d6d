/**
 * The Amazon S3 destination ({@code s3}): {@link org.periodicbackups.destination.s3.S3Destination}
 * and its provider, for AWS and S3-compatible stores.
 */
package org.periodicbackups.destination.s3;
