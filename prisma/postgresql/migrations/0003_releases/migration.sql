-- AlterTable
ALTER TABLE "HistoryEntry" ADD COLUMN     "releaseId" INTEGER;

-- AlterTable
ALTER TABLE "WriteIntent" ADD COLUMN     "releaseId" INTEGER;

-- CreateTable
CREATE TABLE "ChangeRequest" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "author" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "conflicts" TEXT,
    "scheduledAt" TIMESTAMP(3),
    "scheduledBy" TEXT,
    "claimedBy" TEXT,
    "claimedAt" TIMESTAMP(3),
    "releaseId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeItem" (
    "id" SERIAL NOT NULL,
    "changeId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "content" TEXT NOT NULL DEFAULT '',
    "format" TEXT NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "baseHash" TEXT NOT NULL,
    "baseContent" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ChangeItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeReview" (
    "id" SERIAL NOT NULL,
    "changeId" INTEGER NOT NULL,
    "reviewer" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "revision" INTEGER NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChangeComment" (
    "id" SERIAL NOT NULL,
    "changeId" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChangeComment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PublishPolicy" (
    "id" SERIAL NOT NULL,
    "prefix" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "approvalsRequired" INTEGER NOT NULL DEFAULT 1,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PublishPolicy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Release" (
    "id" SERIAL NOT NULL,
    "changeId" INTEGER,
    "status" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "authors" TEXT NOT NULL,
    "approvers" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "zxid" BIGINT,
    "rollbackOf" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),

    CONSTRAINT "Release_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReleaseItem" (
    "id" SERIAL NOT NULL,
    "releaseId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "op" TEXT NOT NULL,
    "fromVersion" INTEGER NOT NULL,
    "toVersion" INTEGER,
    "fromContent" TEXT NOT NULL DEFAULT '',
    "toContent" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ReleaseItem_pkey" PRIMARY KEY ("id")
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

