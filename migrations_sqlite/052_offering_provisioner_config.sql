-- Per-offering provisioner configuration (which provisioner builds the machine, and its settings)
ALTER TABLE provider_offerings ADD COLUMN provisioner_type TEXT CHECK (provisioner_type IN ('proxmox', 'hetzner', 'docker', 'manual'));
ALTER TABLE provider_offerings ADD COLUMN provisioner_config_json TEXT;
