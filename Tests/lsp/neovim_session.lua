-- An editing session in Neovim (0.7 or later) with formwork lsp, started by
-- docs/editors/neovim-0.7.lua (loaded as the user's init). Run by neovim.py:
--   nvim --headless -u docs/editors/neovim-0.7.lua -c "luafile Tests/lsp/neovim_session.lua" FILE
-- Each step acts as the user would and checks the buffer; every wait is bounded. The
-- result is written to $FORMWORK_NVIM_REPORT ("ok" or the failure), then Neovim quits.

local report = os.getenv("FORMWORK_NVIM_REPORT")
local buf = vim.api.nvim_get_current_buf()

local function finish(message)
  local handle = io.open(report, "w")
  handle:write(message)
  handle:close()
  vim.cmd("qall!")
end

local function lines() return vim.api.nvim_buf_get_lines(buf, 0, -1, false) end
local function text() return table.concat(lines(), "\n") .. "\n" end

local function check(condition, message)
  if not condition then error(message .. "\n--- buffer ---\n" .. text(), 0) end
end

local function find(needle)
  for index, line in ipairs(lines()) do
    local column = line:find(needle, 1, true)
    if column then return index, column end
  end
  error("not in the buffer: " .. needle .. "\n" .. text(), 0)
end

local function count(needle)
  local found = 0
  for _, line in ipairs(lines()) do
    local start = 1
    while true do
      local at = line:find(needle, start, true)
      if not at then break end
      found = found + 1
      start = at + 1
    end
  end
  return found
end

local function request(method, params)
  local results = vim.lsp.buf_request_sync(buf, method, params, 20000)
  check(results ~= nil, method .. ": no answer within 20 s")
  for _, answer in pairs(results) do
    check(answer.err == nil, method .. ": " .. vim.inspect(answer.err))
    return answer.result
  end
end

-- The position (1-based line, 0-based column) as a request's params; the cursor goes there
-- too (normal mode keeps it on the line's last character; insert mode, where completion
-- happens, can stand after it: the params say where). The lines are ASCII, so bytes are
-- UTF-16 units.
local function at(line, column)
  vim.api.nvim_win_set_cursor(0, { line, column })
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line - 1, character = column } }
end

-- Accepts a completion as Neovim 0.7's omnifunc does: the start column is where the
-- keyword before the cursor starts (`\k*$`), the items are made by
-- vim.lsp.util.text_document_completion_list_to_complete_items (filtered by that prefix),
-- and the chosen item's word replaces the prefix.
local function complete(line, column, label)
  local params = at(line, column)
  local result = request("textDocument/completion", params)
  local current = vim.api.nvim_buf_get_lines(buf, line - 1, line, false)[1]
  local to_cursor = current:sub(1, column)
  local start = vim.fn.match(to_cursor, "\\k*$")
  local prefix = to_cursor:sub(start + 1)
  local items = vim.lsp.util.text_document_completion_list_to_complete_items(result, prefix)
  for _, item in ipairs(items) do
    if item.abbr == label then
      vim.api.nvim_buf_set_lines(buf, line - 1, line, false, { current:sub(1, start) .. item.word .. current:sub(column + 1) })
      return
    end
  end
  local offered = {}
  for index = 1, math.min(#items, 8) do offered[#offered + 1] = items[index].abbr end
  error("completion: " .. label .. " not offered after '" .. to_cursor .. "' (prefix '" .. prefix .. "'): " .. table.concat(offered, ", "), 0)
end

local function diagnostics_with(code)
  local found = {}
  for _, diagnostic in ipairs(vim.diagnostic.get(buf)) do
    if diagnostic.code == code or (diagnostic.user_data and diagnostic.user_data.lsp and diagnostic.user_data.lsp.code == code) then
      found[#found + 1] = diagnostic
    end
  end
  return found
end

local function wait_for(what, condition)
  check(vim.wait(20000, condition, 50), "waited 20 s for " .. what)
end

local steps = {}
local function step(name, body) steps[#steps + 1] = { name, body } end

step("open: the server attaches and publishes diagnostics", function()
  wait_for("the client", function() return #vim.lsp.buf_get_clients(buf) > 0 end)
  wait_for("diagnostics", function() return #vim.diagnostic.get(buf) > 0 end)
  -- The half-typed type is unknown to the registry.
  check(#diagnostics_with("ST-03") > 0, "no ST-03 on the type: " .. vim.inspect(vim.diagnostic.get(buf)))
end)

step("complete a resource type after `Type: AWS::RDS::DBIn`", function()
  local line, column = find("Type: AWS::RDS::DBIn")
  complete(line, column + #"Type: AWS::RDS::DBIn" - 1, "AWS::RDS::DBInstance")
  check(lines()[line] == "    Type: AWS::RDS::DBInstance", "the type line is '" .. lines()[line] .. "'")
end)

step("complete a GetAtt attribute after the dot", function()
  local line, column = find("!GetAtt EnhancedMonitoringRole.")
  complete(line, column + #"!GetAtt EnhancedMonitoringRole." - 1, "EnhancedMonitoringRole.Arn")
  check(lines()[line] == "      MonitoringRoleArn: !GetAtt EnhancedMonitoringRole.Arn", "the GetAtt line is '" .. lines()[line] .. "'")
end)

step("hover on !GetAtt and on the type", function()
  local line, column = find("!GetAtt")
  local hover = request("textDocument/hover", at(line, column + 1))
  check(hover and hover.contents.value:find("intrinsic-function-reference-getatt.html", 1, true), "hover on !GetAtt: " .. vim.inspect(hover))
  line, column = find("AWS::RDS::DBInstance")
  hover = request("textDocument/hover", at(line, column + 3))
  check(hover and hover.contents.value:find("MultiAZ", 1, true), "hover on the type: " .. vim.inspect(hover))
end)

step("go to definition of the role", function()
  local line, column = find("!GetAtt EnhancedMonitoringRole")
  local result = request("textDocument/definition", at(line, column + 10))
  local location = result[1] or result
  vim.lsp.util.jump_to_location(location, "utf-16")
  local cursor = vim.api.nvim_win_get_cursor(0)
  check(lines()[cursor[1]] == "  EnhancedMonitoringRole:", "definition went to line " .. cursor[1])
end)

step("rename the role", function()
  local line, column = find("!GetAtt EnhancedMonitoringRole")
  at(line, column + 10)
  vim.lsp.buf.rename("MonitoringRole")
  wait_for("the rename", function() return count("EnhancedMonitoringRole") == 0 end)
  check(count("MonitoringRole") == 3, "MonitoringRole, MonitoringRole.Arn and MonitoringRoleArn")
  check(lines()[find("  MonitoringRole:")] == "  MonitoringRole:", "the key")
  find("!GetAtt MonitoringRole.Arn")
  check(count("RoleName") == 0 and count("AWS::IAM::Role") == 1, "rename touched something else")
end)

step("a quick fix edits the policy that is there", function()
  wait_for("LC-02 after the edits", function()
    local found = diagnostics_with("LC-02")
    return #found > 0 and lines()[found[1].lnum + 1] ~= nil
  end)
  local diagnostic = diagnostics_with("LC-02")[1]
  vim.api.nvim_win_set_cursor(0, { diagnostic.lnum + 1, diagnostic.col })
  local original = vim.ui.select
  vim.ui.select = function(items, options, choose)
    for index, item in ipairs(items) do
      local title = options.format_item and options.format_item(item) or vim.inspect(item)
      if title:find("Set DeletionPolicy", 1, true) then return choose(item, index) end
    end
    choose(nil, nil)
  end
  vim.lsp.buf.code_action()
  wait_for("the fix", function() return count("DeletionPolicy: Delete") == 1 end)
  vim.ui.select = original
  check(count("DeletionPolicy") == 1 and count("UpdateReplacePolicy: Delete") == 1, "the policies are not one each")
end)

step("format keeps the comments", function()
  vim.lsp.buf.formatting_sync(nil, 20000)
  local expected = vim.fn.system({ "formwork", "fmt", "-" }, text())
  check(vim.v.shell_error == 0, "formwork fmt failed: " .. expected)
  check(text() == expected, "the buffer is not fmt's output:\n" .. expected)
  check(count("# Orders database") == 1 and count("# the role the monitoring uses") == 1, "a comment was lost")
end)

local function run(index)
  if index > #steps then return finish("ok") end
  local ok, problem = pcall(steps[index][2])
  if not ok then return finish("step " .. index .. " (" .. steps[index][1] .. "): " .. tostring(problem)) end
  io.stdout:write("ok: " .. steps[index][1] .. "\n")
  vim.schedule(function() run(index + 1) end)
end

vim.schedule(function() run(1) end)
