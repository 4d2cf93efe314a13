-- AlterTable
ALTER TABLE "HistoryEntry" ADD COLUMN "releaseId" INTEGER;

-- AlterTable
ALTER TABLE "WriteIntent" ADD COLUMN "releaseId" INTEGER;

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "author" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "conflicts" TEXT,
    "scheduledAt" DATETIME,
    "scheduledBy" TEXT,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "releaseId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ChangeItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "changeId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "content" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "baseHash" TEXT NOT NULL,
    "baseContent" TEXT NOT NULL DEFAULT ''
);

-- CreateTable
CREATE TABLE "ChangeReview" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "changeId" INTEGER NOT NULL,
    "reviewer" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ChangeComment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "changeId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PublishPolicy" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "prefix" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "approvalsRequired" INTEGER NOT NULL DEFAULT 1,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Release" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "changeId" INTEGER,
    "status" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "authors" TEXT NOT NULL,
    "approvers" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "zxid" BIGINT,
    "rollbackOf" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ReleaseItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "releaseId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "fromVersion" INTEGER NOT NULL,
    "toVersion" INTEGER,
    "fromContent" TEXT NOT NULL DEFAULT '',
    "toContent" TEXT NOT NULL DEFAULT ''
);

-- CreateIndex
CREATE INDEX "ChangeRequest_status_idx" ON "ChangeRequest"("status");

-- CreateIndex
CREATE INDEX "ChangeItem_path_idx" ON "ChangeItem"("path");

-- CreateIndex
CREATE UNIQUE INDEX "ChangeItem_changeId_path_key" ON "ChangeItem"("changeId", "path");

-- CreateIndex
CREATE INDEX "ChangeReview_changeId_idx" ON "ChangeReview"("changeId");

-- CreateIndex
CREATE INDEX "ChangeComment_changeId_idx" ON "ChangeComment"("changeId");

-- CreateIndex
CREATE UNIQUE INDEX "PublishPolicy_prefix_key" ON "PublishPolicy"("prefix");

-- CreateIndex
CREATE INDEX "Release_status_idx" ON "Release"("status");

-- CreateIndex
CREATE INDEX "ReleaseItem_releaseId_idx" ON "ReleaseItem"("releaseId");

-- CreateIndex
CREATE INDEX "ReleaseItem_path_idx" ON "ReleaseItem"("path");

