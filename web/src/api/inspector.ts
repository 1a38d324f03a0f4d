// The built-in request inspector: bins and the requests they caught.
import { api } from "./http.ts";
import type { BinDto, InspectorRequestDto, VerifyResult } from "./types.ts";

const enc = encodeURIComponent;

export const inspectorApi = {
  createBin: () => api.post<{ bin: BinDto }>("/api/inspector/bins"),
  listBins: () => api.get<{ bins: BinDto[] }>("/api/inspector/bins"),
  deleteBin: (binId: string) => api.del<unknown>(`/api/inspector/bins/${enc(binId)}`),
  requests: (binId: string) => api.get<{ requests: InspectorRequestDto[] }>(`/api/inspector/bins/${enc(binId)}/requests`),
  verify: (binId: string, requestId: number, secret: string) =>
    api.post<VerifyResult>(`/api/inspector/bins/${enc(binId)}/requests/${requestId}/verify`, { secret }),
};
