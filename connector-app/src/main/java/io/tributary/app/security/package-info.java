/** API authentication: a bearer token from {@code TRIBUTARY_API_TOKEN}, and the listen address that follows from it. */
@NullMarked
package io.tributary.app.security;

import org.jspecify.annotations.NullMarked;
