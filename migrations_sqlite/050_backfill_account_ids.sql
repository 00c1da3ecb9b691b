-- Back-fill the new account_id columns from the device keys that signed the existing rows
UPDATE providers
SET account_id = (SELECT k.account_id FROM account_public_keys k WHERE k.public_key = providers.pubkey)
WHERE account_id IS NULL;

UPDATE contract_sign_requests
SET requester_account_id = (SELECT k.account_id FROM account_public_keys k WHERE k.public_key = contract_sign_requests.requester_pubkey)
WHERE requester_account_id IS NULL;

UPDATE contract_sign_requests
SET provider_account_id = (SELECT k.account_id FROM account_public_keys k WHERE k.public_key = contract_sign_requests.provider_pubkey)
WHERE provider_account_id IS NULL;

UPDATE contract_feedback
SET reviewer_account_id = (SELECT k.account_id FROM account_public_keys k WHERE k.public_key = contract_feedback.reviewer_pubkey)
WHERE reviewer_account_id IS NULL;
