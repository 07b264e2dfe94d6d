// The Studio: plain browser JavaScript over the server's JSON API; no build step, no network
// beyond this server. Text from the server is always set with textContent, never as HTML.
'use strict';

const SETUP_TEXT_FIELDS = ['LocalFolderName', 'S3BucketName', 'AwsRegionEndpoint',
  'S3RemoteFolderName', 'GlacierVaultName'];
const SETUP_NUMBER_FIELDS = ['RetentionKeepChains'];
// Milliseconds in the setup document; the form shows them as an amount and a unit.
const SETUP_DURATION_FIELDS = ['IntervalMilliseconds', 'FullBackupIntervalMilliseconds',
  'RetentionMinimumAgeMilliseconds'];
const DURATION_UNITS = [['days', 86400000], ['hours', 3600000], ['minutes', 60000],
  ['seconds', 1000]];
// Destinations.s3 options the form edits (values are strings, as in the setup document); the
// other entries of Destinations, and of Destinations.s3, are kept as loaded.
const S3_OPTIONS = ['StorageClass', 'FullStorageClass', 'IncrementalStorageClass',
  'ObjectLockMode', 'ObjectLockDays'];
const STORAGE_CLASSES = [['STANDARD', 'STANDARD'],
  ['STANDARD_IA', 'STANDARD_IA: infrequent access'],
  ['ONEZONE_IA', 'ONEZONE_IA: infrequent access, one zone'],
  ['INTELLIGENT_TIERING', 'INTELLIGENT_TIERING'],
  ['GLACIER_IR', 'GLACIER_IR: Glacier Instant Retrieval'],
  ['GLACIER', 'GLACIER: restored before reading'],
  ['DEEP_ARCHIVE', 'DEEP_ARCHIVE: restored before reading, slowest']];
const LOCK_DAYS_RULE = 'a whole number of days, 1 or more';
const ACCESS_KEY = 'Raven/AWSAccessKey';
const SECRET_KEY = 'Raven/AWSSecretKey';
const STATUS_REFRESH_MS = 3000;

// setup: the document as loaded, so that saving keeps the fields the form does not show.
const state = { database: null, globalBundle: false, statusTimer: null, setup: {} };
const $ = (id) => document.getElementById(id);

/** Calls the API; resolves to {status, body}. Asks for the API key when the server wants one. */
async function api(method, path, body) {
  const headers = {};
  const key = sessionStorage.getItem('pbk-api-key');
  if (key) headers['X-Api-Key'] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (response.status === 401) {
    $('api-key-form').hidden = false;
    showMessage((json && json.Error) || 'this server needs an API key', true);
  }
  return { status: response.status, body: json };
}

function showMessage(text, isError, element) {
  const target = element || $('message');
  target.textContent = text || '';
  target.classList.toggle('error', !!isError);
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '' : String(text);
  row.appendChild(td);
  return td;
}

async function loadServer() {
  const { status, body } = await api('GET', '/server');
  if (status !== 200) return;
  state.globalBundle = body.PeriodicBackupsActiveGlobally;
  const box = $('new-db-bundle');
  if (state.globalBundle) {
    box.checked = true;
    box.disabled = true;   // locked: the global configuration decides
    $('bundle-global-note').hidden = false;
  }
}

async function loadDatabases() {
  const { status, body } = await api('GET', '/databases');
  if (status !== 200) return;
  const tbody = $('databases').querySelector('tbody');
  tbody.replaceChildren();
  for (const db of body) {
    const row = document.createElement('tr');
    row.dataset.name = db.Name;
    if (db.Name === state.database) {
      row.classList.add('selected');
      state.documents = db.Documents;
    }
    cell(row, db.Name);
    cell(row, db.Documents);
    cell(row, db.Attachments);
    cell(row, db.LastEtag);
    cell(row, db.PeriodicBackups ? (db.PeriodicBackupsActiveGlobally ? 'on (global)' : 'on') : 'off');
    const open = document.createElement('button');
    open.type = 'button';
    open.textContent = 'Open';
    open.addEventListener('click', () => selectDatabase(db.Name));
    cell(row, '').appendChild(open);
    tbody.appendChild(row);
  }
}

async function createDatabase(event) {
  event.preventDefault();
  const name = $('new-db-name').value.trim();
  const { status, body } = await api('POST', '/databases',
    { Name: name, PeriodicBackups: $('new-db-bundle').checked });
  if (status === 201) {
    showMessage(`database '${name}' created`);
    $('new-db-name').value = '';
    await loadDatabases();
    await selectDatabase(name);
  } else if (status !== 401) {
    showMessage(body && body.Error, true);
  }
}

async function selectDatabase(name) {
  state.database = name;
  $('db-name').textContent = name;
  $('database-section').hidden = false;
  clearFieldErrors();
  showMessage('', false, $('setup-message'));
  showMessage('', false, $('backup-message'));
  await Promise.all([loadSetup(), loadSettings(), loadDatabases()]);
  await refreshStatus();
  if (state.statusTimer) clearInterval(state.statusTimer);
  state.statusTimer = setInterval(refreshStatus, STATUS_REFRESH_MS);
}

function dbPath(rest) {
  return '/databases/' + encodeURIComponent(state.database) + rest;
}

/** Fills the unit lists once; each starts at its data-default-unit. */
function initDurationFields() {
  for (const field of SETUP_DURATION_FIELDS) {
    const select = $(field + '-unit');
    for (const [name, size] of DURATION_UNITS) {
      const option = document.createElement('option');
      option.value = String(size);
      option.textContent = name;
      option.selected = name === select.dataset.defaultUnit;
      select.appendChild(option);
    }
  }
}

/** Shows milliseconds in the largest unit that keeps the amount whole (86400000: 1 days). */
function showDuration(field, milliseconds) {
  const amount = $(field + '-amount');
  const unit = $(field + '-unit');
  if (milliseconds === undefined || milliseconds === null) {
    amount.value = '';
    unit.value = String(DURATION_UNITS.find(([name]) => name === unit.dataset.defaultUnit)[1]);
    return;
  }
  const size = (DURATION_UNITS.find(([, s]) => milliseconds % s === 0)
    || DURATION_UNITS[DURATION_UNITS.length - 1])[1];
  unit.value = String(size);
  amount.value = String(milliseconds / size);
}

/** An input's number: null when empty, NaN when what was typed is not a number. */
function numberIn(input) {
  if (input.validity.badInput) return NaN;
  const value = input.value.trim();
  return value === '' ? null : Number(value);
}

/** The field's milliseconds: its amount times its unit (null, NaN as for numberIn). */
function durationFromForm(field) {
  const amount = numberIn($(field + '-amount'));
  if (amount === null || Number.isNaN(amount)) return amount;
  return Math.round(amount * Number($(field + '-unit').value));
}

/** Fills the storage class lists once, after their first choice (the default). */
function initStorageClassFields() {
  for (const select of document.querySelectorAll('select.storage-class')) {
    for (const [value, label] of STORAGE_CLASSES) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      select.appendChild(option);
    }
  }
}

/**
 * Selects value; a stored value the list does not offer gets a choice of its own, so that
 * saving keeps it (the server says whether it is valid).
 */
function showChoice(select, value) {
  select.querySelectorAll('option[data-stored]').forEach((o) => o.remove());
  const text = value === undefined || value === null ? '' : String(value);
  if (![...select.options].some((o) => o.value === text)) {
    const option = document.createElement('option');
    option.value = text;
    option.textContent = text + ' (stored)';
    option.dataset.stored = '';
    select.appendChild(option);
  }
  select.value = text;
}

/** The Destinations.s3 options, from the loaded document into the form. */
function showS3Options(setup) {
  const s3 = (setup.Destinations && setup.Destinations.s3) || {};
  for (const name of S3_OPTIONS) {
    const field = $('s3-' + name);
    if (field.tagName === 'SELECT') showChoice(field, s3[name]);
    else field.value = s3[name] === undefined || s3[name] === null ? '' : String(s3[name]);
  }
}

async function loadSetup() {
  const { status, body } = await api('GET', dbPath('/setup'));
  const setup = status === 200 ? body : {};
  state.setup = setup;
  for (const field of SETUP_TEXT_FIELDS.concat(SETUP_NUMBER_FIELDS)) {
    $(field).value = setup[field] === undefined || setup[field] === null ? '' : setup[field];
  }
  for (const field of SETUP_DURATION_FIELDS) showDuration(field, setup[field]);
  $('Disabled').checked = !!setup.Disabled;
  $('BackupType').value = setup.BackupType === 'Snapshot' ? 'Snapshot' : 'Backup';
  showChoice($('Encryption'), setup.Encryption);
  showS3Options(setup);
  await loadDestinations();
}

async function loadSettings() {
  const { status, body } = await api('GET', dbPath('/settings'));
  if (status !== 200) return;
  $('AwsAccessKey').value = body.Settings[ACCESS_KEY] || '';
  const secretSet = body.Secured.includes(SECRET_KEY);
  // Write-only: the value never comes back; the placeholder says whether one is stored.
  $('AwsSecretKey').value = '';
  $('AwsSecretKey').placeholder = secretSet ? '(stored; type to replace)' : '(not set)';
}

async function loadDestinations() {
  const { status, body } = await api('GET', dbPath('/destinations'));
  const target = $('destinations');
  if (status !== 200) {
    target.textContent = '';
    return;
  }
  const parts = [];
  if (body.Remote) parts.push('remote: ' + body.Remote);
  if (body.LocalCopy) parts.push('local copy: ' + body.LocalCopy);
  const notes = body.Ignored.concat(body.Unused || []);
  target.textContent = 'Files go to ' + parts.join(', ')
    + (notes.length ? '. ' + notes.join('; ') : '');
}

function clearFieldErrors() {
  document.querySelectorAll('.field-error').forEach((e) => { e.textContent = ''; });
}

function showFieldErrors(errors) {
  for (const error of errors) {
    let target = document.querySelector(`.field-error[data-error-for="${CSS.escape(error.Field || '')}"]`);
    if (!target) target = document.querySelector('.field-error[data-error-for=""]');
    target.textContent = (target.textContent ? target.textContent + ' ' : '') + error.Message;
  }
}

/** The loaded document with the form's fields over it; errors name fields that are not numbers. */
function setupFromForm(errors) {
  const setup = Object.assign({}, state.setup);
  const put = (field, value) => {
    if (value === null || value === '') delete setup[field];
    else setup[field] = value;
  };
  for (const field of SETUP_TEXT_FIELDS) put(field, $(field).value.trim());
  const numbers = SETUP_NUMBER_FIELDS.map((field) => [field, numberIn($(field))])
    .concat(SETUP_DURATION_FIELDS.map((field) => [field, durationFromForm(field)]));
  for (const [field, value] of numbers) {
    if (Number.isNaN(value)) errors.push({ Field: field, Message: 'not a number' });
    put(field, value);
  }
  put('Disabled', $('Disabled').checked ? true : null);
  put('BackupType', $('BackupType').value);
  put('Encryption', $('Encryption').value);
  put('Destinations', destinationsFromForm(setup.Destinations, errors));
  return setup;
}

/**
 * The loaded Destinations with the form's s3 options over them: an empty field removes its key,
 * an empty s3 entry is dropped, and null when nothing is left. Errors name the lock fields.
 */
function destinationsFromForm(loaded, errors) {
  const destinations = Object.assign({}, loaded);
  const s3 = Object.assign({}, destinations.s3);
  for (const name of S3_OPTIONS) {
    const value = $('s3-' + name).value.trim();
    if (value === '') delete s3[name];
    else s3[name] = value;
  }
  const field = 'Destinations.s3.ObjectLockDays';
  const days = s3.ObjectLockDays;
  if (days !== undefined && !(/^[0-9]+$/.test(days) && Number(days) >= 1)) {
    errors.push({ Field: field, Message: `'${days}' is not valid; expected ${LOCK_DAYS_RULE}` });
  } else if (s3.ObjectLockMode !== undefined && days === undefined) {
    errors.push({ Field: field, Message: 'required with an Object Lock mode: ' + LOCK_DAYS_RULE });
  } else if (s3.ObjectLockMode === undefined && days !== undefined) {
    errors.push({ Field: field, Message: 'needs an Object Lock mode; choose one or clear the days' });
  }
  if (Object.keys(s3).length) destinations.s3 = s3;
  else delete destinations.s3;
  return Object.keys(destinations).length ? destinations : null;
}

async function saveSetup(event) {
  event.preventDefault();
  clearFieldErrors();
  const message = $('setup-message');
  const errors = [];
  const setup = setupFromForm(errors);
  if (errors.length) {
    showFieldErrors(errors);
    showMessage('not saved', true, message);
    return;
  }
  const saved = await api('PUT', dbPath('/setup'), setup);
  if (saved.status !== 200) {
    if (saved.body && saved.body.Errors) showFieldErrors(saved.body.Errors);
    showMessage((saved.body && saved.body.Error) || 'not saved', true, message);
    return;
  }
  const accessKey = $('AwsAccessKey').value.trim();
  const access = accessKey
    ? await api('PUT', dbPath('/settings/' + ACCESS_KEY), { Value: accessKey })
    : await api('DELETE', dbPath('/settings/' + ACCESS_KEY));
  if (access.status !== 204) {
    showFieldErrors([{ Field: 'AwsAccessKey', Message: access.body && access.body.Error }]);
  }
  const secret = $('AwsSecretKey').value;
  if (secret) {
    const stored = await api('PUT', dbPath('/secured-settings/' + SECRET_KEY), { Value: secret });
    if (stored.status !== 204) {
      showFieldErrors([{ Field: 'AwsSecretKey', Message: stored.body && stored.body.Error }]);
    }
  }
  showMessage('saved', false, message);
  await Promise.all([loadSetup(), loadSettings()]);
}

async function backUpNow() {
  const message = $('backup-message');
  showMessage('backing up…', false, message);
  $('backup-now').disabled = true;
  try {
    const full = $('backup-full').checked;
    const { status, body } = await api('POST', dbPath('/backup?full=' + full));
    showMessage(status === 200 ? body.Message : (body && body.Error), status !== 200, message);
  } finally {
    $('backup-now').disabled = false;
  }
  await Promise.all([refreshStatus(), loadDatabases()]);
}

function formatSize(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + ' KiB';
  return (bytes / 1024 / 1024).toFixed(1) + ' MiB';
}

/** A duration in seconds as people read it: 42 s, 5 min 3 s, 2 h 10 min, 3 d 4 h. */
function formatSeconds(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

function summaryItem(list, label, value) {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value === undefined || value === null ? '—' : String(value);
  dd.dataset.item = label;
  list.append(dt, dd);
}

/** The RPO now, the last proven-restorable cut and the predicted restore time. */
function showRecovery(body) {
  const list = $('recovery-summary');
  list.replaceChildren();
  const item = (label, value) => summaryItem(list, label, value);
  item('RPO now', body && body.LastBackup
    ? formatSeconds((Date.now() - Date.parse(body.LastBackup)) / 1000) + ' since the last backup'
    : 'no backup yet');
  const drill = body && body.LastDrill;
  if (!drill) {
    item('Last proven restorable', 'never drilled');
    item('Predicted restore time', 'unknown until a drill');
    return;
  }
  item('Last drill', drill.At + ': ' + drill.Result + (drill.Error ? ' (' + drill.Error + ')' : ''));
  item('Last proven restorable', drill.Result === 'Proved'
    ? drill.At + ', up to etag ' + drill.Etag
    : 'not proved by the last drill');
  if (drill.Result === 'Proved' && state.documents === 0) {
    item('Predicted restore time', 'moments: the database holds no documents');
    return;
  }
  item('Predicted restore time',
    drill.Result === 'Proved' && drill.DocumentsPerSecond > 0 && state.documents !== undefined
      ? formatSeconds(state.documents / drill.DocumentsPerSecond)
        + ' (' + Math.round(drill.DocumentsPerSecond) + ' documents/s in the last drill)'
      : 'unknown until a drill proves the chain');
}

const SVG = 'http://www.w3.org/2000/svg';

function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * The recent backups: a bar per file (its size) and a line through their durations, oldest on the
 * left; the last failed run, if it came after them, as a red mark at the right.
 */
function drawChart(history, lastError) {
  const chart = $('history-chart');
  chart.replaceChildren();
  const width = 640, height = 170, left = 40, right = 40, top = 14, bottom = 20;
  const plotWidth = width - left - right, plotHeight = height - top - bottom;
  chart.append(svg('line', { x1: left, y1: top + plotHeight, x2: left + plotWidth,
    y2: top + plotHeight, class: 'axis' }));
  if (history.length === 0) {
    chart.append(svg('text', { x: left, y: top + plotHeight / 2, class: 'label' }, 'no backups yet'));
    return;
  }
  const maxSize = Math.max(...history.map((r) => r.Size), 1);
  const maxDuration = Math.max(...history.map((r) => r.DurationMilliseconds), 1);
  const slot = plotWidth / history.length;
  const points = [];
  history.forEach((record, i) => {
    const barHeight = Math.max(1, (record.Size / maxSize) * plotHeight);
    const x = left + i * slot + slot * 0.15;
    const bar = svg('rect', { x: x.toFixed(1), y: (top + plotHeight - barHeight).toFixed(1),
      width: Math.max(1, slot * 0.7).toFixed(1), height: barHeight.toFixed(1),
      class: 'bar ' + (record.Type === 'Full' ? 'full' : 'incremental'),
      'data-file': record.FileName, 'data-size': record.Size });
    bar.append(svg('title', {}, record.FileName + ': ' + formatSize(record.Size) + ', '
      + record.DurationMilliseconds + ' ms'));
    chart.append(bar);
    const y = top + plotHeight - (record.DurationMilliseconds / maxDuration) * plotHeight;
    points.push((left + i * slot + slot / 2).toFixed(1) + ',' + y.toFixed(1));
  });
  chart.append(svg('polyline', { points: points.join(' '), class: 'duration' }));
  chart.append(svg('text', { x: 2, y: top + 4, class: 'label' }, formatSize(maxSize)));
  chart.append(svg('text', { x: width - right + 2, y: top + 4, class: 'label' }, maxDuration + ' ms'));
  const last = history[history.length - 1];
  if (lastError && Date.parse(lastError.At) > Date.parse(last.StartedAt)) {
    const failure = svg('line', { x1: left + plotWidth - 2, y1: top, x2: left + plotWidth - 2,
      y2: top + plotHeight, class: 'failure', 'data-at': lastError.At });
    failure.append(svg('title', {}, 'failed ' + lastError.At + ': ' + lastError.Message));
    chart.append(failure);
  }
}

async function drillNow() {
  const message = $('drill-message');
  showMessage('drilling: restoring the latest chain into a scratch folder…', false, message);
  $('drill-now').disabled = true;
  try {
    const { status, body } = await api('POST', dbPath('/drill'));
    if (status === 200) {
      const drill = body.Drill;
      showMessage(drill.Result + (drill.Error ? ': ' + drill.Error : ' from ' + body.From),
        drill.Result === 'Failed', message);
    } else {
      showMessage(body && body.Error, true, message);
    }
  } finally {
    $('drill-now').disabled = false;
  }
  await refreshStatus();
}

async function refreshStatus() {
  if (!state.database) return;
  const { status, body } = await api('GET', dbPath('/status'));
  const summary = $('status-summary');
  const tbody = $('history').querySelector('tbody');
  summary.replaceChildren();
  tbody.replaceChildren();
  const item = (label, value) => summaryItem(summary, label, value);
  showRecovery(status === 200 ? body : null);
  drawChart(status === 200 ? body.History || [] : [], status === 200 ? body.LastError : null);
  if (status !== 200) {
    item('Last backup', 'never');
    return;
  }
  item('Last backup', body.LastBackup);
  item('Last full backup', body.LastFullBackup);
  item('Docs etag', body.LastDocsEtag);
  item('Attachments etag', body.LastAttachmentsEtag);
  item('Docs deletion etag', body.LastDocsDeletionEtag);
  item('Attachment deletion etag', body.LastAttachmentDeletionEtag);
  item('Last error', body.LastError ? body.LastError.At + ': ' + body.LastError.Message : null);
  for (const record of (body.History || []).slice().reverse()) {
    const row = document.createElement('tr');
    // The file's own name; the chain folder is in the tooltip.
    cell(row, record.FileName.substring(record.FileName.lastIndexOf('/') + 1)).title = record.FileName;
    cell(row, record.Type);
    cell(row, formatSize(record.Size));
    cell(row, (record.Copies || []).map((c) => c.Destination).join(', '));
    cell(row, record.DurationMilliseconds + ' ms');
    cell(row, record.StartedAt.replace(/\.\d+Z$/, 'Z'));
    tbody.appendChild(row);
  }
}

function useApiKey(event) {
  event.preventDefault();
  sessionStorage.setItem('pbk-api-key', $('api-key').value);
  $('api-key').value = '';
  $('api-key-form').hidden = true;
  showMessage('');
  start();
}

async function start() {
  await loadServer();
  await loadDatabases();
}

initDurationFields();
initStorageClassFields();
$('create-form').addEventListener('submit', createDatabase);
$('setup-form').addEventListener('submit', saveSetup);
$('backup-now').addEventListener('click', backUpNow);
$('drill-now').addEventListener('click', drillNow);
$('api-key-form').addEventListener('submit', useApiKey);
start();
