/** BigQuery sources on google-cloud-bigquery: query jobs with named parameters, results paged on demand. */
@NullMarked
package io.tributary.dialect.bigquery;

import org.jspecify.annotations.NullMarked;
