/** Historical imports: a long time range split into chunks that adapt to the rows found, resumable after a crash. */
@NullMarked
package io.tributary.core.history;

import org.jspecify.annotations.NullMarked;
