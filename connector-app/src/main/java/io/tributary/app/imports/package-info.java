/** Historical imports in the app: started by the API or the CLI, persisted in the store, resumed at start-up. */
@NullMarked
package io.tributary.app.imports;

import org.jspecify.annotations.NullMarked;
