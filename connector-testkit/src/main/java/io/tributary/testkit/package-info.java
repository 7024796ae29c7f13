/** Test support shared by the dialect modules. */
@NullMarked
package io.tributary.testkit;

import org.jspecify.annotations.NullMarked;
