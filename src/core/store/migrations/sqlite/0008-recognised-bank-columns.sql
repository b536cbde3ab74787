-- SPDX-License-Identifier: GPL-3.0-or-later
-- Tenure schema v8 (SQLite; twin of ../postgresql/0008-recognised-bank-columns.sql): a built-in
-- import profile that recognises the column names Chinese (and English) bank exports use,
-- so that a statement whose account has no profile of its own is read without one. Each
-- role lists the names it answers to; the first the file's header has is taken, and the
-- file's header decides between debit and credit columns and one amount column (signed, or
-- with a direction column such as 借贷标志).
INSERT INTO import_profile (bank_account_id, name, mapping, is_builtin) VALUES
  (NULL, 'Recognised columns',
   '{"columns":{"booked_on":["交易日期","记账日期","入账日期","交易日","日期"'
   || ',"交易时间","Booking date","Transaction date","Date"],"value_on":["起息日"'
   || ',"起息日期","Value date"],"debit":["借方发生额(支取)","借方发生额","借方金额"'
   || ',"支出金额","支取金额","付款金额","支出","借方","Debit amount","Debit"'
   || ',"Withdrawal"],"credit":["贷方发生额(收入)","贷方发生额","贷方金额","收入金额"'
   || ',"存入金额","收款金额","收入","贷方","Credit amount","Credit","Deposit"]'
   || ',"amount":["交易金额","发生额","金额","Amount","Transaction amount"]'
   || ',"direction":["借贷标志","借贷方向","借贷标识","收支标志","收支方向","收/支"'
   || ',"借/贷","Dr/Cr","Debit/Credit","Direction"],"payer_name":["对方户名"'
   || ',"对方账户名称","对方账户名","对方名称","对方单位","付款人名称","收/付方名称"'
   || ',"Counterparty","Payer name","Payer","对方单位名称","对方户名称"]'
   || ',"payer_account":["对方账号","对方账户","对方帐号","付款人账号","收/付方账号"'
   || ',"Counterparty account","Payer account","收/付方帐号","对方帐户","付款人帐号"]'
   || ',"memo":["用途","交易用途","附言","交易附言","摘要","备注","Memo","Description"'
   || ',"Remark","Narrative"],"bank_reference":["交易流水号","流水号","银行流水号"'
   || ',"交易参考号","交易序号","Reference","Transaction ID","账户明细编号-交易流水号"'
   || ',"柜员流水号","交易流水"],"balance":["余额","账户余额","本次余额","交易后余额"'
   || ',"Balance"],"currency":["币种","货币","Currency"]}}',
   1);
