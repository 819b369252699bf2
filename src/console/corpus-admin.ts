import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { readDocument } from '../corpus/load-corpus.js';
import { isSupportedDocument } from '../corpus/load-document.js';
import type { StructuralUnit } from '../corpus/types.js';

/** A document id is its file name without extension: letters, digits, - and _. */
export const DOC_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,63}$/;

export interface Staged {
  id: string;
  file: string;
  title: string;
  units: StructuralUnit[];
}

/**
 * Adding and removing corpus documents from the console: an upload is parsed in a staging folder
 * (the operator sees its clauses before it can change anything), accepted into the corpus folder,
 * then reindexed; removal deletes the document's file. The index is not touched here.
 */
export class CorpusAdmin {
  private readonly staging: string;
  constructor(
    private readonly corpusDir: string,
    dataDir: string,
  ) {
    this.staging = path.join(dataDir, 'console-staging');
    mkdirSync(this.staging, { recursive: true });
  }

  /** the corpus files of a document id (normally one) */
  filesOf(id: string): string[] {
    return readdirSync(this.corpusDir).filter((f) => isSupportedDocument(f) && path.basename(f, path.extname(f)) === id);
  }

  async stage(id: string, fileName: string, data: Buffer): Promise<Staged> {
    if (!DOC_ID.test(id)) throw new AppError('input_invalid', 'id');
    const ext = path.extname(fileName).toLowerCase();
    if (!isSupportedDocument(`x${ext}`)) throw new AppError('document_unreadable', `unsupported file type: ${ext || fileName}`);
    if (this.filesOf(id).length > 0) throw new AppError('input_invalid', 'id_taken');
    this.discard(id);
    const file = path.join(this.staging, `${id}${ext}`);
    writeFileSync(file, data);
    try {
      const doc = await readDocument(file, id);
      return { id, file, title: doc.title, units: doc.units };
    } catch (e) {
      rmSync(file, { force: true });
      throw e;
    }
  }

  /** the staged upload of this id, parsed again (the preview page is stateless) */
  async staged(id: string): Promise<Staged | undefined> {
    if (!DOC_ID.test(id)) return undefined;
    const name = readdirSync(this.staging).find((f) => path.basename(f, path.extname(f)) === id);
    if (!name) return undefined;
    const file = path.join(this.staging, name);
    const doc = await readDocument(file, id);
    return { id, file, title: doc.title, units: doc.units };
  }

  async accept(id: string): Promise<string> {
    const staged = await this.staged(id);
    if (!staged) throw new AppError('input_invalid', 'nothing staged');
    if (this.filesOf(id).length > 0) throw new AppError('input_invalid', 'id_taken');
    const target = path.join(this.corpusDir, path.basename(staged.file));
    // copied then removed: the data and corpus folders may be on different file systems
    copyFileSync(staged.file, target);
    rmSync(staged.file, { force: true });
    return path.basename(target);
  }

  discard(id: string): void {
    if (!DOC_ID.test(id)) return;
    for (const f of readdirSync(this.staging)) if (path.basename(f, path.extname(f)) === id) rmSync(path.join(this.staging, f), { force: true });
  }

  remove(id: string): string[] {
    if (!DOC_ID.test(id)) return [];
    const files = this.filesOf(id);
    for (const f of files) rmSync(path.join(this.corpusDir, f), { force: true });
    return files;
  }
}
