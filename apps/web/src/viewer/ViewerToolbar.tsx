import { useTranslation } from 'react-i18next';
import type { ViewState } from '@caunoi/shared';
import { WINDOW_PRESETS } from './dicom';
import type { Loaded } from './loader';
import { MeasureHint } from './MeasureHint';
import type { Tool } from './Stage';

type WindowLevel = { center: number; width: number };

/** Zoom, tool, PDF page and DICOM window/level controls; disabled while following a presenter. */
export function ViewerToolbar({
  view,
  data,
  wl,
  canDrive,
  tool,
  onTool,
  change,
  fileWindows,
}: {
  view: ViewState;
  data: Loaded | null;
  wl: WindowLevel | null;
  canDrive: boolean;
  tool: Tool;
  onTool: (t: Tool) => void;
  change: (v: ViewState) => void;
  /** The file's own VOI windows (a CT often carries several); default: the image's window. */
  fileWindows?: (WindowLevel & { explanation?: string })[];
}) {
  const { t } = useTranslation();
  const tools: Tool[] = [
    'pan',
    ...(data?.kind === 'dicom' ? (['windowLevel'] as Tool[]) : []),
    'arrow',
    'ellipse',
    'text',
    // Measuring a document page means nothing; images and DICOM can be measured.
    ...(data && data.kind !== 'pdf' ? (['distance', 'angle'] as Tool[]) : []),
  ];
  return (
    <div className="viewer-tools row wrap" role="toolbar" aria-label={t('viewer.tools')}>
      <button
        type="button"
        disabled={!canDrive}
        onClick={() => change({ ...view, zoom: Math.min(40, view.zoom * 1.25) })}
      >
        {t('viewer.zoomIn')}
      </button>
      <button
        type="button"
        disabled={!canDrive}
        onClick={() => change({ ...view, zoom: Math.max(0.05, view.zoom / 1.25) })}
      >
        {t('viewer.zoomOut')}
      </button>
      <button
        type="button"
        disabled={!canDrive}
        onClick={() => change({ ...view, zoom: 1, pan: { x: 0, y: 0 } })}
      >
        {t('viewer.reset')}
      </button>
      <output aria-label={t('viewer.zoomLevel')}>{Math.round(view.zoom * 100)}%</output>
      <fieldset className="inline" aria-label={t('viewer.tool')}>
        {tools.map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name="tool"
              checked={tool === k}
              onChange={() => onTool(k)}
              disabled={!canDrive}
            />
            {t(`viewer.toolName.${k}`)}
          </label>
        ))}
      </fieldset>
      {data?.kind === 'pdf' ? (
        <>
          <button
            type="button"
            disabled={!canDrive || view.page <= 1}
            onClick={() => change({ ...view, page: view.page - 1 })}
          >
            {t('viewer.prevPage')}
          </button>
          <output aria-label={t('viewer.pageLabel')}>
            {t('viewer.page', { page: view.page, pages: data.pages })}
          </output>
          <button
            type="button"
            disabled={!canDrive || view.page >= data.pages}
            onClick={() => change({ ...view, page: view.page + 1 })}
          >
            {t('viewer.nextPage')}
          </button>
        </>
      ) : null}
      {data?.kind === 'dicom' && wl ? (
        <WindowControls
          view={view}
          wl={wl}
          fileWindows={fileWindows?.length ? fileWindows : [data.image.window]}
          canDrive={canDrive}
          change={change}
        />
      ) : null}
      <MeasureHint tool={tool} data={data} />
      {view.pointer ? (
        <button
          type="button"
          disabled={!canDrive}
          onClick={() => change({ ...view, pointer: null })}
        >
          {t('viewer.hidePointer')}
        </button>
      ) : null}
    </div>
  );
}

function WindowControls({
  view,
  wl,
  fileWindows,
  canDrive,
  change,
}: {
  view: ViewState;
  wl: WindowLevel;
  fileWindows: (WindowLevel & { explanation?: string })[];
  canDrive: boolean;
  change: (v: ViewState) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label className="inline-label">
        {t('viewer.windowCenter')}
        <input
          type="number"
          className="narrow"
          value={Math.round(wl.center)}
          disabled={!canDrive}
          onChange={(e) =>
            e.target.value !== '' &&
            change({ ...view, windowLevel: { ...wl, center: Number(e.target.value) } })
          }
        />
      </label>
      <label className="inline-label">
        {t('viewer.windowWidth')}
        <input
          type="number"
          className="narrow"
          min={1}
          value={Math.round(wl.width)}
          disabled={!canDrive}
          onChange={(e) =>
            Number(e.target.value) >= 1 &&
            change({ ...view, windowLevel: { ...wl, width: Number(e.target.value) } })
          }
        />
      </label>
      <label className="inline-label">
        {t('viewer.preset')}
        <select
          disabled={!canDrive}
          value=""
          onChange={(e) => {
            const key = e.target.value;
            const own = /^file(\d*)$/.exec(key);
            if (own) {
              const { center, width } = fileWindows[Number(own[1] || 0)];
              change({ ...view, windowLevel: { center, width } });
            } else if (Object.hasOwn(WINDOW_PRESETS, key))
              change({
                ...view,
                windowLevel: { ...WINDOW_PRESETS[key as keyof typeof WINDOW_PRESETS] },
              });
          }}
        >
          <option value="">—</option>
          {fileWindows.map((w, i) => (
            <option key={`file${i}`} value={i ? `file${i}` : 'file'}>
              {w.explanation
                ? t('viewer.presetFileNamed', { name: w.explanation })
                : fileWindows.length > 1
                  ? `${t('viewer.presetFile')} ${i + 1}`
                  : t('viewer.presetFile')}
            </option>
          ))}
          {Object.keys(WINDOW_PRESETS).map((k) => (
            <option key={k} value={k}>
              {t(`viewer.presets.${k}`)}
            </option>
          ))}
        </select>
      </label>
    </>
  );
}
