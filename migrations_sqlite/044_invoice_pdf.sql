-- Keep the rendered invoice PDF so it is not regenerated on every download
ALTER TABLE invoices ADD COLUMN pdf_blob BLOB;
ALTER TABLE invoices ADD COLUMN pdf_generated_at_ns INTEGER;
