-- GPU offerings: model, count and memory so customers can filter for GPU servers
ALTER TABLE provider_offerings ADD COLUMN gpu_name TEXT;
ALTER TABLE provider_offerings ADD COLUMN gpu_count INTEGER NOT NULL DEFAULT 0 CHECK (gpu_count >= 0);
ALTER TABLE provider_offerings ADD COLUMN gpu_memory_gb INTEGER CHECK (gpu_memory_gb > 0);

CREATE INDEX idx_provider_offerings_gpu ON provider_offerings (gpu_name, gpu_count DESC) WHERE gpu_name IS NOT NULL;

-- Offerings imported before this migration marked GPUs only in the name
UPDATE provider_offerings SET product_type = 'gpu' WHERE product_type = 'compute' AND offer_name LIKE '%GPU%';
