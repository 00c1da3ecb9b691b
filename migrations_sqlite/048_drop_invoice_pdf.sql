-- Invoice PDFs moved to object storage: keep only the object key, drop the blob
ALTER TABLE invoices ADD COLUMN pdf_object_key TEXT;
ALTER TABLE invoices DROP COLUMN pdf_blob;
