// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider, type Language } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import { AttachmentBodySchema } from '../../../../../src/contracts/requests.js';
import type { AttachmentMeta, RequestsApi } from '../api.js';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES } from '../attachment-check.js';
import { AttachmentPanel } from './attachment-panel.js';

// Attachments to a request. The browser states the limits before a file is chosen and refuses
// an empty, oversized or wrongly typed file (by its bytes) before uploading anything.

const noStorage = { getItem: () => null, setItem: () => undefined };
const R = '0190a000-0000-7000-8000-0000000000aa';
const tpl = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]);

function renderPanel(requests: Partial<RequestsApi>, opts: { language?: Language; attachments?: AttachmentMeta[]; onUploaded?: (m: AttachmentMeta) => void } = {}) {
  const client = { requests } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage} initialLanguage={opts.language ?? 'bg'}>
      <ApiProvider client={client}>
        <AttachmentPanel requestId={R} attachments={opts.attachments ?? []} canUpload onUploaded={opts.onUploaded ?? (() => undefined)} />
      </ApiProvider>
    </I18nProvider>,
  );
}

function choose(label: string, file: File) {
  fireEvent.change(screen.getByLabelText(label), { target: { files: [file] } });
}

describe('AttachmentPanel: upload validation', () => {
  afterEach(cleanup);

  it('the limits the browser checks are the contract’s own (types, 5 MB in base64)', () => {
    for (const type of ATTACHMENT_TYPES) expect(AttachmentBodySchema.shape.contentType.safeParse(type).success).toBe(true);
    const longest = 'A'.repeat(Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4);
    expect(AttachmentBodySchema.shape.dataBase64.safeParse(longest).success).toBe(true);
  });

  it('states the allowed types and the size limit before a file is chosen', () => {
    renderPanel({});
    const bg = messages.bg;
    const input = screen.getByLabelText(bg['requests.detail.attachments.choose']);
    const hint = document.getElementById(input.getAttribute('aria-describedby') ?? '')!;
    expect(hint.textContent).toBe(tpl(bg['requests.detail.attachments.limits'], { types: 'PDF, PNG, JPEG, WebP, GIF, TXT, DICOM', max: '5 MB' }));
    expect(input.getAttribute('accept')).toContain('application/pdf');
    expect((screen.getByRole('button', { name: bg['requests.detail.attachments.upload'] }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('refuses an empty file, a file over 5 MB, a PNG named .pdf and a ZIP, each with its own message, and uploads nothing', async () => {
    const uploadAttachment = vi.fn<RequestsApi['uploadAttachment']>();
    renderPanel({ uploadAttachment });
    const bg = messages.bg;
    const field = bg['requests.detail.attachments.choose'];
    const submit = () => screen.getByRole('button', { name: bg['requests.detail.attachments.upload'] }) as HTMLButtonElement;

    choose(field, new File([], 'празен.pdf', { type: 'application/pdf' }));
    expect((await screen.findByRole('alert')).textContent).toBe(tpl(bg['requests.detail.attachments.error.empty'], { name: 'празен.pdf' }));
    expect(submit().disabled).toBe(true);

    const big = new File([new Uint8Array(ATTACHMENT_MAX_BYTES + 1)], 'скенер.pdf', { type: 'application/pdf' });
    choose(field, big);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(tpl(bg['requests.detail.attachments.error.too_large'], { name: 'скенер.pdf', size: '5,1 MB', max: '5 MB' })));
    expect(submit().disabled).toBe(true);

    choose(field, new File([PNG], 'изследване.pdf', { type: 'application/pdf' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(tpl(bg['requests.detail.attachments.error.type_mismatch'], { name: 'изследване.pdf' })));
    expect(submit().disabled).toBe(true);

    choose(field, new File([ZIP], 'архив.zip', { type: 'application/zip' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(tpl(bg['requests.detail.attachments.error.type_not_allowed'], { name: 'архив.zip', types: 'PDF, PNG, JPEG, WebP, GIF, TXT, DICOM' })),
    );
    expect(submit().disabled).toBe(true);
    fireEvent.click(submit());
    expect(uploadAttachment).not.toHaveBeenCalled();
  });

  it('tells the user in English too', async () => {
    renderPanel({}, { language: 'en' });
    const en = messages.en;
    choose(en['requests.detail.attachments.choose'], new File([ZIP], 'x.pdf', { type: '' }));
    expect((await screen.findByRole('alert')).textContent).toBe(tpl(en['requests.detail.attachments.error.type_mismatch'], { name: 'x.pdf' }));
  });

  it('uploads a valid PDF with the type taken from its bytes, shows progress, then lists it', async () => {
    const bg = messages.bg;
    let finish: (m: AttachmentMeta) => void = () => undefined;
    const uploadAttachment = vi.fn<RequestsApi['uploadAttachment']>(
      (_id, body, onProgress) =>
        new Promise<AttachmentMeta>((resolve) => {
          onProgress?.(0.5);
          finish = (m) => resolve({ ...m, name: body.name });
        }),
    );
    const onUploaded = vi.fn();
    renderPanel({ uploadAttachment }, { onUploaded });
    // No declared type (as some browsers send): the bytes decide.
    choose(bg['requests.detail.attachments.choose'], new File([PDF], 'резултати.pdf', { type: '' }));
    const submit = screen.getByRole('button', { name: bg['requests.detail.attachments.upload'] }) as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(submit);

    expect(await screen.findByText(tpl(bg['requests.detail.attachments.uploading'], { name: 'резултати.pdf', percent: '50' }))).toBeTruthy();
    expect((screen.getByRole('progressbar') as HTMLProgressElement).value).toBe(50);
    const body = uploadAttachment.mock.calls[0]?.[1];
    expect(uploadAttachment.mock.calls[0]?.[0]).toBe(R);
    expect(body?.name).toBe('резултати.pdf');
    expect(body?.contentType).toBe('application/pdf');
    expect(Buffer.from(body?.dataBase64 ?? '', 'base64').equals(Buffer.from(PDF))).toBe(true);

    finish({ id: '0190a000-0000-7000-8000-0000000000f9', name: '', contentType: 'application/pdf', sizeBytes: PDF.length, createdAt: '2026-11-25T08:00:00Z' });
    expect(await screen.findByText(tpl(bg['requests.detail.attachments.done'], { name: 'резултати.pdf' }))).toBeTruthy();
    expect(onUploaded).toHaveBeenCalledWith(expect.objectContaining({ name: 'резултати.pdf', contentType: 'application/pdf' }));
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it("shows the server's refusal (e.g. 413) with its localised message", async () => {
    const bg = messages.bg;
    const uploadAttachment = vi.fn<RequestsApi['uploadAttachment']>().mockRejectedValue(new ApiError({ type: 'x', title: 'too large', status: 413, code: 'request.too_large' }));
    renderPanel({ uploadAttachment });
    choose(bg['requests.detail.attachments.choose'], new File([PNG], 'снимка.png', { type: 'image/png' }));
    const submit = screen.getByRole('button', { name: bg['requests.detail.attachments.upload'] }) as HTMLButtonElement;
    await waitFor(() => expect(submit.disabled).toBe(false));
    fireEvent.click(submit);
    const alert = await screen.findByRole('alert');
    expect(alert.getAttribute('data-problem-code')).toBe('request.too_large');
    expect(alert.textContent).toContain(bg['problem.request.too_large']);
  });

  it('lists attachments with a download link for each', () => {
    const bg = messages.bg;
    renderPanel({}, { attachments: [{ id: '0190a000-0000-7000-8000-0000000000f9', name: 'ЕКГ.pdf', contentType: 'application/pdf', sizeBytes: 2048, createdAt: '2026-11-25T08:00:00Z' }] });
    const link = screen.getByRole('link', { name: tpl(bg['requests.detail.attachments.downloadLabel'], { name: 'ЕКГ.pdf' }) });
    expect(link.getAttribute('href')).toBe(`/api/v1/requests/${R}/attachments/0190a000-0000-7000-8000-0000000000f9`);
    expect(link.getAttribute('download')).toBe('ЕКГ.pdf');
  });
});
