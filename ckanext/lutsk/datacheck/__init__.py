"""Data checks of tabular resources: fetching the file safely, the background job, the
per-dataset state for the index (glue around domain.datacheck and domain.structures)."""
