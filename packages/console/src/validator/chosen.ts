/**
 * What the user chose, as the worker reads it: one file, or the parts of a folder export — a folder
 * picked (`<input webkitdirectory>`) or dropped (DataTransferItem.webkitGetAsEntry, its tree walked),
 * or several files picked or dropped together (the pages of an export, chosen without their folder).
 * A folder is named by its own name, as `jiexu validate <folder>` names it; several files by the
 * first and last of their names.
 */
import type { ChosenFile } from './protocol.ts';

export interface Chosen {
  /** The file's name, or the folder's (what the report's `file` says). */
  name: string;
  folder: boolean;
  /** Several files chosen without their folder: an issue of one names that file alone (not `<name>/<file>`). */
  withoutFolder?: boolean;
  files: ChosenFile[];
}

function severalFiles(files: ChosenFile[]): Chosen {
  const names = files.map((f) => f.path).sort();
  return { name: `${names[0]} … ${names[names.length - 1]}`, folder: true, withoutFolder: true, files };
}

/** From a file input: `folder` when it is the webkitdirectory one (each File's webkitRelativePath is `<folder>/<path>`). */
export function chosenOfInput(list: FileList | null, folder: boolean): Chosen | undefined {
  const files = [...(list ?? [])];
  if (!files.length) return undefined;
  if (folder) {
    const first = files[0]!.webkitRelativePath.split('/')[0] || 'folder';
    return { name: first, folder: true, files: files.map((file) => ({ path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name, file })) };
  }
  if (files.length === 1) return { name: files[0]!.name, folder: false, files: [{ path: files[0]!.name, file: files[0]! }] };
  return severalFiles(files.map((file) => ({ path: file.name, file })));
}

async function entriesOf(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries gives the entries in batches, then an empty one
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return all;
    all.push(...batch);
  }
}

/** The files under `entry`, each with its path below `prefix`. */
async function filesOf(entry: FileSystemEntry, prefix: string): Promise<ChosenFile[]> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    return [{ path: `${prefix}${entry.name}`, file }];
  }
  if (!entry.isDirectory) return [];
  const out: ChosenFile[] = [];
  for (const child of await entriesOf(entry as FileSystemDirectoryEntry)) out.push(...(await filesOf(child, `${prefix}${entry.name}/`)));
  return out;
}

/**
 * From a drop. The entries are taken at once (a DataTransfer is emptied when the drop handler
 * returns), then their trees walked. A browser without entries gives its files.
 */
export function chosenOfDrop(data: DataTransfer): Promise<Chosen | undefined> {
  const entries = [...data.items].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.() ?? null);
  const plain = [...data.files];
  return (async () => {
    if (!entries.length || entries.some((e) => e === null)) return chosenOfInput(plain as unknown as FileList, false);
    const present = entries as FileSystemEntry[];
    if (present.length === 1 && present[0]!.isDirectory) {
      const dir = present[0]!;
      const files = (await filesOf(dir, '')).map((f) => ({ ...f, path: f.path.slice(dir.name.length + 1) }));
      return files.length ? { name: dir.name, folder: true, files } : undefined;
    }
    const files: ChosenFile[] = [];
    for (const e of present) files.push(...(await filesOf(e, '')));
    if (files.length === 1 && present[0]!.isFile) return { name: files[0]!.path, folder: false, files };
    return files.length ? severalFiles(files) : undefined;
  })();
}
