/**
 * Documents, attachments and tombstones as they travel from a source through a dump to a target.
 */
package org.periodicbackups.api.model;
