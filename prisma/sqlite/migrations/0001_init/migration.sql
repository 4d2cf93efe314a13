-- CreateTable
CREATE TABLE "HistoryEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "path" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "mzxid" BIGINT NOT NULL,
    "czxid" BIGINT NOT NULL,
    "op" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "encoding" TEXT NOT NULL DEFAULT 'utf8',
    "contentHash" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "path" TEXT,
    "detail" TEXT,
    "source" TEXT NOT NULL,
    "ip" TEXT
);

-- CreateTable
CREATE TABLE "WriteIntent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "expectedVersion" INTEGER,
    "contentHash" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" DATETIME,
    "outcome" TEXT,
    "mzxid" BIGINT
);

-- CreateIndex
CREATE INDEX "HistoryEntry_path_mzxid_id_idx" ON "HistoryEntry"("path", "mzxid" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "HistoryEntry_path_mzxid_op_key" ON "HistoryEntry"("path", "mzxid", "op");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_path_idx" ON "AuditEntry"("path");

-- CreateIndex
CREATE INDEX "AuditEntry_actor_idx" ON "AuditEntry"("actor");

-- CreateIndex
CREATE INDEX "WriteIntent_completedAt_path_idx" ON "WriteIntent"("completedAt", "path");

