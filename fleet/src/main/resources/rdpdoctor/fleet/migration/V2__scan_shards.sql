-- Sharded scans (scan --shard K/N --run ID): N workers with no coordinator write one scan. They
-- find it by tag and run id (unique, so two workers starting at once cannot make two), and each
-- records when its shard is done; the scan is finished when all N are.
ALTER TABLE scan ADD COLUMN run VARCHAR(200);
ALTER TABLE scan ADD COLUMN shards INTEGER;
CREATE UNIQUE INDEX scan_by_run ON scan (tag, run);

CREATE TABLE scan_shard (
  scan_id BIGINT NOT NULL REFERENCES scan (id),
  shard INTEGER NOT NULL,
  finished_at VARCHAR(30) NOT NULL,
  PRIMARY KEY (scan_id, shard)
);
