/**
 * The Amazon Glacier vault destination ({@code glacier}): {@link
 * org.periodicbackups.destination.glacier.GlacierDestination} and its provider. The vault service
 * accepts no new AWS customers since December 2025; new users should prefer the S3 destination with
 * a Glacier storage class.
 */
package org.periodicbackups.destination.glacier;
