"""Files and the database: the dataset schema, reading, validation, writing, exports, storage."""
