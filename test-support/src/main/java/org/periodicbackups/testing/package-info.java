/**
 * Test fixtures shared by the modules' tests (never used by main code): {@link
 * org.periodicbackups.testing.MemoryDestination}, {@link org.periodicbackups.testing.TestClock} and
 * {@link org.periodicbackups.testing.GateProvider}.
 */
package org.periodicbackups.testing;
