-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "HistoryEntry" (
    "id" SERIAL NOT NULL,
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
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HistoryEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "path" TEXT,
    "detail" TEXT,
    "source" TEXT NOT NULL,
    "ip" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WriteIntent" (
    "id" SERIAL NOT NULL,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "expectedVersion" INTEGER,
    "contentHash" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "mzxid" BIGINT,

    CONSTRAINT "WriteIntent_pkey" PRIMARY KEY ("id")
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

