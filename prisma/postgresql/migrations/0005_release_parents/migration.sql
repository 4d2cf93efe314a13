-- AlterTable
ALTER TABLE "ReleaseItem" ADD COLUMN     "parent" BOOLEAN NOT NULL DEFAULT false;
