-- Headless Neovim (0.7+) as a real LSP client. Driven by environment variables:
--   HL_ROOT  the test repository     HL_CMD  JSON array: the server command
--   HL_OUT   where to write the JSON report of what the editor saw
-- Works on 0.7 (Debian 12) with vim.lsp.start_client + buf_attach_client; 0.8+ also has vim.lsp.start.
local root, out = vim.env.HL_ROOT, vim.env.HL_OUT
local report = { nvim = tostring(vim.version().major) .. "." .. vim.version().minor .. "." .. vim.version().patch }

local function finish()
  local f = assert(io.open(out, "w"))
  f:write(vim.fn.json_encode(report))
  f:close()
  vim.cmd("qall!")
end

local function diags(buf)
  return vim.tbl_map(function(d)
    return { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
             severity = d.severity, code = d.code, message = d.message, source = d.source }
  end, vim.diagnostic.get(buf))
end

local function wait_for(what, pred)
  if not vim.wait(30000, pred, 50) then error("timed out waiting for " .. what) end
end

local function request(buf, method, params)
  local res = vim.lsp.buf_request_sync(buf, method, params, 30000) or {}
  for _, r in pairs(res) do
    if r.error then error(method .. ": " .. vim.inspect(r.error)) end
    return r.result
  end
end

local function cursor_on(buf, needle, offset)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = l:find(needle, 1, true)
    if s then vim.api.nvim_win_set_cursor(0, { i, s - 1 + (offset or 0) }) return end
  end
  error("not in buffer: " .. needle)
end

local function main()
  vim.cmd("silent edit " .. vim.fn.fnameescape(root .. "/CLAUDE.md"))
  local buf = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({ name = "harness-lint", cmd = vim.fn.json_decode(vim.env.HL_CMD), root_dir = root })
  vim.lsp.buf_attach_client(buf, client_id)

  wait_for("diagnostics", function() return #vim.diagnostic.get(buf) > 0 end)
  report.diagnostics = diags(buf)

  cursor_on(buf, "UserImporter", 2)
  local hover = request(buf, "textDocument/hover", vim.lsp.util.make_position_params())
  report.hover = hover and hover.contents.value

  cursor_on(buf, "parseCsv", 2)
  local defs = request(buf, "textDocument/definition", vim.lsp.util.make_position_params())
  vim.lsp.util.jump_to_location(defs[1] or defs, "utf-16")
  report.definition = { file = vim.api.nvim_buf_get_name(0), line = vim.api.nvim_win_get_cursor(0)[1] }
  vim.cmd("buffer " .. buf)

  -- The quick fix on the stale mention, chosen and applied the way `vim.lsp.buf.code_action` would.
  cursor_on(buf, "UserImporter", 2)
  local lnum = vim.api.nvim_win_get_cursor(0)[1] - 1
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, lnum) }
  local actions = request(buf, "textDocument/codeAction", params) or {}
  report.actions = vim.tbl_map(function(a) return a.title end, actions)
  local fix = assert(vim.tbl_filter(function(a) return a.isPreferred end, actions)[1], "no preferred code action")
  vim.lsp.util.apply_workspace_edit(fix.edit, "utf-16")
  vim.cmd("silent write")

  wait_for("diagnostics after the fix", function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == "stale-symbol" then return false end end
    return true
  end)
  report.after = diags(buf)
end

vim.schedule(function()
  local ok, err = xpcall(main, debug.traceback)
  if not ok then report.error = err end
  finish()
end)
