/**
 * The Plecto sink: registrations of the sources that name a Plecto data source are pushed to Plecto's registrations
 * API (v2) instead of the registration store, only when they changed since Plecto last accepted them.
 */
@NullMarked
package io.tributary.app.plecto;

import org.jspecify.annotations.NullMarked;
