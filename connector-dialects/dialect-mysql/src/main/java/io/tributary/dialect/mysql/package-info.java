/** MySQL and MariaDB sources. */
@NullMarked
package io.tributary.dialect.mysql;

import org.jspecify.annotations.NullMarked;
