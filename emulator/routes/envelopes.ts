import { CONTRACT_VERSION, type PageBlock } from "../../provider/client/schemas";
import type { Page } from "../store/pagination";

export const item = <T>(data: T) => ({ data, meta: { contractVersion: CONTRACT_VERSION } as const });

export const collection = <T>(data: T[], page: PageBlock) => ({ data, page });

export const collectionOf = <T>({ items, page }: Page<T>) => collection(items, page);

/** A collection core-api answers whole (`wholeCollection`): one page whose `limit` is its row count. */
export const wholeCollection = <T>(data: T[]) => ({ data, page: { cursor: null, nextCursor: null, limit: data.length, hasMore: false, total: data.length } });
