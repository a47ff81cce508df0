"""Act: cases and cross-border requests between authorities, with due process and evidence."""
