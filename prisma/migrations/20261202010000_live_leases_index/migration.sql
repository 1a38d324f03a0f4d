-- PostgreSQL only (see prisma/postgres/migrations): SQLite has one process per file, so its claims
-- never look for another process's leases, and its new deliveries are written leased (the index
-- would cost every message a write). Kept here so both providers list the same migrations.
SELECT 1;
