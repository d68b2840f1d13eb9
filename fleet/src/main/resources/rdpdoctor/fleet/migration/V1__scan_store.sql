-- One schema for SQLite and PostgreSQL: only types both know, times as ISO-8601 UTC text
-- (second precision, so text order is time order), booleans as 0/1, lists as text.
CREATE TABLE scan (
  id BIGINT NOT NULL PRIMARY KEY,
  tag VARCHAR(200) NOT NULL,
  mode VARCHAR(10) NOT NULL,
  targets TEXT NOT NULL,
  started_at VARCHAR(30) NOT NULL,
  finished_at VARCHAR(30)
);
CREATE INDEX scan_by_tag ON scan (tag, id);

-- One row per endpoint and scan, written as soon as that endpoint's probe is over.
CREATE TABLE host_result (
  scan_id BIGINT NOT NULL REFERENCES scan (id),
  host_key VARCHAR(320) NOT NULL,
  host VARCHAR(300) NOT NULL,
  port INTEGER NOT NULL,
  finished_at VARCHAR(30) NOT NULL,
  reachable INTEGER NOT NULL,
  failure TEXT,
  nla VARCHAR(20),
  rdp_security INTEGER,
  tls_versions VARCHAR(200),
  cert_sha1 VARCHAR(64),
  cert_not_after VARCHAR(30),
  credssp_version BIGINT,
  os_build VARCHAR(40),
  problems TEXT NOT NULL,
  millis BIGINT NOT NULL,
  PRIMARY KEY (scan_id, host_key)
);
CREATE INDEX host_result_by_host ON host_result (host_key, scan_id);
